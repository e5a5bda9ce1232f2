import { foldWord } from './foldDiacritics';

/**
 * How often a name word occurs in the Vietnamese population, for the u-probabilities of the name
 * comparison (a shared "Nguyễn" says little, a shared "Tạ" a lot). Family names: the commonly
 * cited distribution (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, Phạm ≈ 7 %, …; Lê Trung Hoa,
 * "Họ và tên người Việt Nam", and the Wikipedia summary "Vietnamese name"). Middle names: "Văn"
 * and "Thị" dominate; given names are spread over a few hundred common words. Keyed by the word
 * without diacritics, so a name written without them finds its frequency.
 */
const FAMILY: Readonly<Record<string, number>> = folded({
  'Nguyễn': 0.38, 'Trần': 0.11, 'Lê': 0.095, 'Phạm': 0.071, 'Hoàng': 0.051, 'Huỳnh': 0.051,
  'Phan': 0.045, 'Vũ': 0.039, 'Võ': 0.039, 'Đặng': 0.021, 'Bùi': 0.02, 'Đỗ': 0.014, 'Hồ': 0.013,
  'Ngô': 0.013, 'Dương': 0.01, 'Lý': 0.005, 'Đinh': 0.004, 'Trương': 0.004, 'Lương': 0.003,
  'Mai': 0.003, 'Đào': 0.003, 'Đoàn': 0.003, 'Vương': 0.002, 'Trịnh': 0.002, 'Lâm': 0.002,
  'Phùng': 0.002, 'Tạ': 0.001, 'Cao': 0.002, 'Hà': 0.002, 'Tô': 0.001, 'Châu': 0.001,
});

const MIDDLE: Readonly<Record<string, number>> = folded({
  'Văn': 0.2, 'Thị': 0.25, 'Minh': 0.06, 'Ngọc': 0.05, 'Thanh': 0.05, 'Đức': 0.03, 'Hữu': 0.03,
  'Quang': 0.03, 'Công': 0.02, 'Quốc': 0.02, 'Thu': 0.02, 'Kim': 0.02, 'Hồng': 0.02, 'Bảo': 0.02,
  'Gia': 0.02, 'Xuân': 0.02, 'Anh': 0.02, 'Hoàng': 0.02, 'Trọng': 0.02, 'Phương': 0.02,
});

const GIVEN: Readonly<Record<string, number>> = folded({
  'Anh': 0.04, 'Linh': 0.03, 'Hương': 0.025, 'Minh': 0.025, 'Trang': 0.025, 'Hùng': 0.02,
  'Dũng': 0.02, 'Tuấn': 0.02, 'Hà': 0.02, 'Lan': 0.02, 'Nam': 0.02, 'Hải': 0.02, 'Thảo': 0.02,
});

/**
 * Common given names. Two different words from this list are two names, never a typing error of
 * one another (Minh / Vinh, Đông / Dũng): that is how twins are often named.
 */
const KNOWN_GIVEN: ReadonlySet<string> = new Set([
  'An', 'Ân', 'Anh', 'Ánh', 'Bảo', 'Bích', 'Bình', 'Cúc', 'Cường', 'Chi', 'Chính', 'Chung', 'Công', 'Danh',
  'Dung', 'Dũng', 'Duy', 'Duyên', 'Dương', 'Đại', 'Đạt', 'Điệp', 'Định', 'Đông', 'Đức', 'Giang', 'Hà', 'Hạ',
  'Hải', 'Hân', 'Hạnh', 'Hằng', 'Hậu', 'Hiền', 'Hiển', 'Hiếu', 'Hiệp', 'Hòa', 'Hoa', 'Hoài', 'Hoàn',
  'Hoàng', 'Hồng', 'Huệ', 'Hùng', 'Hưng', 'Hương', 'Hường', 'Huy', 'Huyền', 'Khang', 'Khánh', 'Khoa',
  'Khôi', 'Kiên', 'Kiệt', 'Lam', 'Lâm', 'Lan', 'Lân', 'Liên', 'Linh', 'Loan', 'Lộc', 'Long', 'Luân',
  'Lực', 'Ly', 'Mai', 'Mạnh', 'Minh', 'My', 'Mỹ', 'Nam', 'Nga', 'Ngân', 'Nghĩa', 'Ngọc', 'Nguyên',
  'Nhân', 'Nhi', 'Nhung', 'Như', 'Oanh', 'Phát', 'Phong', 'Phú', 'Phúc', 'Phụng', 'Phương', 'Phượng',
  'Quân', 'Quang', 'Quế', 'Quốc', 'Quý', 'Quyên', 'Quỳnh', 'Sang', 'Sơn', 'Tài', 'Tâm', 'Tân', 'Thái',
  'Thanh', 'Thành', 'Thảo', 'Thắng', 'Thịnh', 'Thơ', 'Thu', 'Thủy', 'Thư', 'Thương', 'Tiến', 'Tín',
  'Toàn', 'Trâm', 'Trang', 'Trí', 'Trinh', 'Trung', 'Trường', 'Tú', 'Tuấn', 'Tùng', 'Tuyết', 'Uyên',
  'Vân', 'Việt', 'Vinh', 'Vĩnh', 'Vũ', 'Vy', 'Xuân', 'Yến',
].map((w) => foldWord(w).base));

/** Any family name not listed is rarer than those listed. */
export const RARE_FAMILY_FREQUENCY = 0.001;
/** Middle and given names not listed: each one of a few hundred. */
export const OTHER_MIDDLE_FREQUENCY = 0.02;
export const OTHER_GIVEN_FREQUENCY = 0.01;

export type NameRole = 'family' | 'middle' | 'given';

/** Share of people whose name has this word in this role (0–1). */
export function nameFrequency(role: NameRole, word: string): number {
  const key = foldWord(word).base;
  switch (role) {
    case 'family':
      return FAMILY[key] ?? RARE_FAMILY_FREQUENCY;
    case 'middle':
      return MIDDLE[key] ?? OTHER_MIDDLE_FREQUENCY;
    case 'given':
      return GIVEN[key] ?? OTHER_GIVEN_FREQUENCY;
  }
}

/** True for a common Vietnamese given name (by its letters without diacritics). */
export function isKnownGivenName(base: string): boolean {
  return KNOWN_GIVEN.has(base);
}

/** Folded keys: words sharing a base (Vũ, Võ) keep the larger share. */
function folded(table: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [word, share] of Object.entries(table)) {
    const key = foldWord(word).base;
    out[key] = Math.max(out[key] ?? 0, share);
  }
  return out;
}
