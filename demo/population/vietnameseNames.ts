/**
 * Name parts for synthetic Vietnamese people, in Unicode NFC (precomposed diacritics, as VSS and
 * most HIS databases store them). A Vietnamese name is written family name first: họ, tên đệm
 * (middle name, one or two words), tên (given name) — e.g. "Nguyễn Thị Minh Khai".
 * Weights roughly follow how common each family name is (Nguyễn alone is about a third).
 */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 4], ['Huỳnh', 3.1], ['Phan', 4.5],
  ['Vũ', 3.9], ['Võ', 3.5], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3],
  ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.6], ['Trương', 0.6], ['Lương', 0.4], ['Mai', 0.4], ['Tạ', 0.2],
];

/** Middle names (tên đệm). "Văn" and "Thị" mark sex traditionally; the others are used by both. */
export const MIDDLE_NAMES_MALE: readonly (readonly [string, number])[] = [
  ['Văn', 30], ['Minh', 10], ['Đức', 9], ['Hữu', 8], ['Quang', 7], ['Thanh', 6], ['Công', 5],
  ['Xuân', 4], ['Ngọc', 3], ['Anh', 3], ['Quốc', 5], ['Gia', 3], ['Hoàng', 3], ['Trọng', 4],
];

export const MIDDLE_NAMES_FEMALE: readonly (readonly [string, number])[] = [
  ['Thị', 40], ['Ngọc', 10], ['Thanh', 8], ['Minh', 6], ['Thu', 6], ['Phương', 4], ['Bảo', 4],
  ['Kim', 5], ['Hồng', 5], ['Mai', 3], ['Khánh', 3], ['Hoài', 3], ['Diệu', 2],
];

export const GIVEN_NAMES_MALE: readonly string[] = [
  'An', 'Anh', 'Bảo', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Đông', 'Giang', 'Hải', 'Hiếu', 'Hòa',
  'Hoàng', 'Hùng', 'Huy', 'Khang', 'Khánh', 'Khoa', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Minh', 'Nam',
  'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Toàn',
  'Trí', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ',
];

export const GIVEN_NAMES_FEMALE: readonly string[] = [
  'An', 'Anh', 'Ánh', 'Chi', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hương',
  'Huyền', 'Lan', 'Linh', 'Loan', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương',
  'Quỳnh', 'Tâm', 'Thảo', 'Thủy', 'Thư', 'Trang', 'Trâm', 'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến',
];

/** Wards/communes and districts for synthetic addresses (diaChi on the card), by province code. */
export const ADDRESS_PLACES: Readonly<Record<string, readonly string[]>> = {
  '01': ['Phường Dịch Vọng, Quận Cầu Giấy', 'Phường Kim Liên, Quận Đống Đa', 'Xã Cổ Loa, Huyện Đông Anh'],
  '79': ['Phường Bến Nghé, Quận 1', 'Phường 12, Quận Tân Bình', 'Xã Tân Thông Hội, Huyện Củ Chi'],
  '48': ['Phường Hải Châu I, Quận Hải Châu', 'Phường An Hải Bắc, Quận Sơn Trà', 'Xã Hòa Phong, Huyện Hòa Vang'],
  '92': ['Phường An Hòa, Quận Ninh Kiều', 'Phường Lê Bình, Quận Cái Răng'],
  '31': ['Phường Máy Chai, Quận Ngô Quyền', 'Xã An Đồng, Huyện An Dương'],
  '46': ['Phường Phú Hội, Thành phố Huế', 'Xã Hương Toàn, Thị xã Hương Trà'],
};

export const STREET_NAMES: readonly string[] = [
  'Trần Hưng Đạo', 'Lê Lợi', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Điện Biên Phủ',
  'Quang Trung', 'Phan Chu Trinh', 'Hùng Vương', 'Nguyễn Du',
];
