/**
 * Clinical code catalogues for the synthetic population: real ICD-10 codes common in Vietnamese
 * hospitals with Vietnamese display text in the style of QĐ 4469/QĐ-BYT, real LOINC lab and
 * vital-sign codes with UCUM units, drugs, ICD-9-CM procedures (QĐ 4440/QĐ-BYT) and allergy
 * substances. Each diagnosis names the labs, drugs and procedures a visit for it plausibly has,
 * so a synthetic chart hangs together.
 */

export interface DiagnosisEntry {
  readonly code: string;
  readonly display: string;
  /** Long-term condition: stays ACTIVE and recurs across visits and facilities. */
  readonly chronic: boolean;
  /** Likely to need a hospital stay (QĐ 130 MA_LOAI_KCB 03) rather than an outpatient visit. */
  readonly inpatient: boolean;
  readonly labs: readonly string[];
  readonly drugs: readonly string[];
  readonly procedures: readonly string[];
}

/** ICD-10 (WHO codes; Vietnamese titles as in the MoH browser icd.kcb.vn, docs/standards.md §4.4). */
export const ICD10_DIAGNOSES: readonly DiagnosisEntry[] = [
  dx('J06.9', 'Nhiễm trùng đường hô hấp trên cấp, không đặc hiệu', false, false, ['8310-5'], ['PARA500', 'AMOX500'], []),
  dx('J02.9', 'Viêm họng cấp, không đặc hiệu', false, false, ['8310-5'], ['PARA500', 'AMOX500'], []),
  dx('J20.9', 'Viêm phế quản cấp, không đặc hiệu', false, false, ['8310-5', '6690-2'], ['AMOX500', 'PARA500'], ['87.44']),
  dx('J18.9', 'Viêm phổi, không đặc hiệu', false, true, ['6690-2', '718-7', '8310-5'], ['CEFU500', 'PARA500'], ['87.44']),
  dx('J45.9', 'Hen phế quản, không đặc hiệu', true, false, ['6690-2'], ['SALB2'], ['93.94']),
  dx('J44.9', 'Bệnh phổi tắc nghẽn mạn tính, không đặc hiệu', true, false, ['6690-2'], ['SALB2'], ['87.44', '93.94']),
  dx('I10', 'Bệnh lý tăng huyết áp vô căn (nguyên phát)', true, false, ['8480-6', '8462-4', '14682-9'], ['AMLO5', 'LOSA50'], ['89.52']),
  dx('I25.1', 'Bệnh tim do xơ vữa động mạch', true, false, ['8480-6', '14647-2'], ['ATOR20', 'ASPI81'], ['89.52']),
  dx('I50.9', 'Suy tim, không đặc hiệu', true, true, ['8480-6', '14682-9'], ['FURO40'], ['89.52', '87.44']),
  dx('I63.9', 'Nhồi máu não, không đặc hiệu', false, true, ['8480-6', '14749-6'], ['ASPI81', 'ATOR20'], ['87.03']),
  dx('E11.9', 'Bệnh đái tháo đường không phụ thuộc insulin, không có biến chứng', true, false, ['14749-6', '4548-4', '14682-9'], ['METF850'], []),
  dx('E78.5', 'Tăng lipid máu, không đặc hiệu', true, false, ['14647-2', '14927-8'], ['ATOR20'], []),
  dx('E03.9', 'Suy giáp, không đặc hiệu', true, false, ['3016-3'], ['LEVO50'], []),
  dx('K29.7', 'Viêm dạ dày, không đặc hiệu', false, false, ['718-7'], ['OMEP20'], ['44.13']),
  dx('K21.9', 'Bệnh trào ngược dạ dày - thực quản không có viêm thực quản', true, false, [], ['OMEP20'], ['44.13']),
  dx('K35.8', 'Viêm ruột thừa cấp, khác và không đặc hiệu', false, true, ['6690-2', '718-7'], ['CEFU500', 'PARA500'], ['47.01', '88.76']),
  dx('K80.2', 'Sỏi túi mật không có viêm túi mật', false, true, ['1742-6', '1920-8'], ['PARA500'], ['51.23', '88.76']),
  dx('K76.0', 'Gan nhiễm mỡ, không phân loại nơi khác', true, false, ['1742-6', '1920-8', '14927-8'], [], ['88.76']),
  dx('K59.0', 'Táo bón', false, false, [], [], []),
  dx('A09', 'Viêm dạ dày ruột và viêm đại tràng khác và không xác định do nhiễm trùng', false, false, ['6690-2'], ['ORS', 'PARA500'], []),
  dx('A91', 'Sốt xuất huyết Dengue', false, true, ['777-3', '718-7', '6690-2'], ['PARA500', 'ORS'], []),
  dx('B34.9', 'Nhiễm virus, không đặc hiệu', false, false, ['8310-5'], ['PARA500'], []),
  dx('R50.9', 'Sốt, không đặc hiệu', false, false, ['8310-5', '6690-2'], ['PARA500'], []),
  dx('R51', 'Đau đầu', false, false, ['8480-6'], ['PARA500'], []),
  dx('M54.5', 'Đau vùng thắt lưng', false, false, [], ['IBU400'], []),
  dx('M17.9', 'Thoái hóa khớp gối, không đặc hiệu', true, false, [], ['IBU400'], []),
  dx('N39.0', 'Nhiễm khuẩn hệ tiết niệu, vị trí không xác định', false, false, ['6690-2', '14682-9'], ['CEFU500'], ['88.76']),
  dx('N18.9', 'Bệnh thận mạn, không đặc hiệu', true, false, ['14682-9', '718-7'], ['AMLO5'], ['88.76']),
  dx('D64.9', 'Thiếu máu, không đặc hiệu', false, false, ['718-7'], [], []),
  dx('S52.5', 'Gãy đầu dưới xương quay', false, false, [], ['IBU400'], ['79.02']),
  dx('S01.8', 'Vết thương hở của phần khác của đầu', false, false, [], ['PARA500', 'AMOX500'], ['86.59']),
  dx('H10.9', 'Viêm kết mạc, không đặc hiệu', false, false, [], [], []),
  dx('L30.9', 'Viêm da, không đặc hiệu', false, false, [], [], []),
  dx('G43.9', 'Migraine, không đặc hiệu', true, false, [], ['PARA500'], []),
  // Sensitive categories (core/consent/sensitiveCategories): so consent opt-outs have something to withhold.
  dx('F32.9', 'Giai đoạn trầm cảm, không đặc hiệu', true, false, [], [], []),
  dx('B24', 'Bệnh do vi rút gây suy giảm miễn dịch ở người [HIV], không đặc hiệu', true, false, ['718-7'], [], []),
];

export interface LabTestEntry {
  readonly code: string;
  readonly display: string;
  /** UCUM unit code, also shown as the unit. */
  readonly unit: string;
  /** Reference range; results outside it are flagged H/L. */
  readonly low: number;
  readonly high: number;
  /** Range the synthetic values are drawn from (wider than the reference range). */
  readonly min: number;
  readonly max: number;
  readonly decimals: number;
}

/**
 * LOINC codes with the units Vietnamese labs report (SI: mmol/L, µmol/L). Where LOINC separates
 * mass and molar concentration the molar code is used (creatinine 14682-9, not 2160-0 mg/dL).
 */
export const LOINC_TESTS: readonly LabTestEntry[] = [
  lab('718-7', 'Huyết sắc tố (Hemoglobin) trong máu', 'g/dL', 12, 17, 8, 18, 1),
  lab('6690-2', 'Số lượng bạch cầu (Leukocytes) trong máu', '10*3/uL', 4, 10, 3, 22, 1),
  lab('777-3', 'Số lượng tiểu cầu (Platelets) trong máu', '10*3/uL', 150, 400, 20, 450, 0),
  lab('14749-6', 'Glucose huyết thanh/huyết tương', 'mmol/L', 3.9, 6.4, 3.5, 16, 1),
  lab('4548-4', 'HbA1c (Hemoglobin A1c/Hemoglobin.total) trong máu', '%', 4, 6.4, 4.5, 11, 1),
  lab('14682-9', 'Creatinin huyết thanh/huyết tương', 'umol/L', 53, 115, 45, 300, 0),
  lab('14647-2', 'Cholesterol toàn phần huyết thanh/huyết tương', 'mmol/L', 3.9, 5.2, 3, 8.5, 1),
  lab('14927-8', 'Triglycerid huyết thanh/huyết tương', 'mmol/L', 0.46, 1.88, 0.4, 6, 2),
  lab('1742-6', 'ALT (GPT) huyết thanh/huyết tương', 'U/L', 0, 40, 10, 180, 0),
  lab('1920-8', 'AST (GOT) huyết thanh/huyết tương', 'U/L', 0, 40, 10, 160, 0),
  lab('3016-3', 'TSH huyết thanh/huyết tương', 'm[IU]/L', 0.4, 4, 0.1, 25, 2),
  lab('8480-6', 'Huyết áp tâm thu', 'mm[Hg]', 90, 139, 95, 190, 0),
  lab('8462-4', 'Huyết áp tâm trương', 'mm[Hg]', 60, 89, 55, 115, 0),
  lab('8310-5', 'Nhiệt độ cơ thể', 'Cel', 36, 37.5, 36, 40, 1),
];

export interface DrugEntry {
  /**
   * Illustrative code in the DMDC active-ingredient format `nn.nnn` (MA_THUOC, docs/standards.md
   * §3.2, §4.4); not checked against the MoH list.
   */
  readonly code: string;
  readonly key: string;
  readonly display: string;
  readonly unit: string;
  readonly route: string;
  readonly perDay: number;
}

export const DRUGS: readonly DrugEntry[] = [
  drug('PARA500', '40.48', 'Paracetamol 500mg', 'viên', 'Uống', 3),
  drug('AMOX500', '40.150', 'Amoxicilin 500mg', 'viên', 'Uống', 3),
  drug('CEFU500', '40.188', 'Cefuroxim 500mg', 'viên', 'Uống', 2),
  drug('METF850', '40.807', 'Metformin 850mg', 'viên', 'Uống', 2),
  drug('AMLO5', '40.477', 'Amlodipin 5mg', 'viên', 'Uống', 1),
  drug('LOSA50', '40.511', 'Losartan 50mg', 'viên', 'Uống', 1),
  drug('ATOR20', '40.540', 'Atorvastatin 20mg', 'viên', 'Uống', 1),
  drug('ASPI81', '40.451', 'Acid acetylsalicylic 81mg', 'viên', 'Uống', 1),
  drug('FURO40', '40.601', 'Furosemid 40mg', 'viên', 'Uống', 1),
  drug('OMEP20', '40.677', 'Omeprazol 20mg', 'viên', 'Uống', 2),
  drug('SALB2', '40.970', 'Salbutamol 2mg', 'viên', 'Uống', 3),
  drug('IBU400', '40.54', 'Ibuprofen 400mg', 'viên', 'Uống', 2),
  drug('LEVO50', '40.829', 'Levothyroxin 50mcg', 'viên', 'Uống', 1),
  drug('ORS', '40.1003', 'Oresol 245 (gói 4,22g)', 'gói', 'Uống', 2),
];

export interface ProcedureEntry {
  readonly code: string;
  readonly display: string;
}

/** ICD-9-CM volume 3 procedure codes (QĐ 4440/QĐ-BYT uses this classification for MA_PTTT_QT). */
export const ICD9CM_PROCEDURES: readonly ProcedureEntry[] = [
  { code: '47.01', display: 'Cắt ruột thừa nội soi' },
  { code: '51.23', display: 'Cắt túi mật nội soi' },
  { code: '79.02', display: 'Nắn kín gãy xương quay và xương trụ, không cố định trong' },
  { code: '86.59', display: 'Khâu da và mô dưới da ở vị trí khác' },
  { code: '44.13', display: 'Nội soi dạ dày khác' },
  { code: '88.76', display: 'Siêu âm chẩn đoán ổ bụng và sau phúc mạc' },
  { code: '87.44', display: 'Chụp X-quang ngực thường quy' },
  { code: '87.03', display: 'Chụp cắt lớp vi tính đầu' },
  { code: '89.52', display: 'Điện tâm đồ' },
  { code: '93.94', display: 'Khí dung thuốc qua máy phun sương' },
];

export interface AllergySubstanceEntry {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly category: 'FOOD' | 'MEDICATION' | 'ENVIRONMENT';
  readonly reaction: string;
}

/** WHO ATC for drug allergens; a local demo code system for foods and environment. */
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
export const DEMO_ALLERGEN_SYSTEM = 'urn:oid:vn:patient-graph:demo:allergen';

export const ALLERGY_SUBSTANCES: readonly AllergySubstanceEntry[] = [
  { system: ATC_SYSTEM, code: 'J01CE01', display: 'Penicilin G (benzylpenicilin)', category: 'MEDICATION', reaction: 'Nổi mày đay, ngứa' },
  { system: ATC_SYSTEM, code: 'J01CA04', display: 'Amoxicilin', category: 'MEDICATION', reaction: 'Phát ban toàn thân' },
  { system: ATC_SYSTEM, code: 'N02BA01', display: 'Acid acetylsalicylic (Aspirin)', category: 'MEDICATION', reaction: 'Khó thở, co thắt phế quản' },
  { system: ATC_SYSTEM, code: 'M01AE01', display: 'Ibuprofen', category: 'MEDICATION', reaction: 'Phù mạch' },
  { system: ATC_SYSTEM, code: 'J01EE01', display: 'Sulfamethoxazol + trimethoprim', category: 'MEDICATION', reaction: 'Ban đỏ' },
  { system: DEMO_ALLERGEN_SYSTEM, code: 'FOOD-SHELLFISH', display: 'Hải sản có vỏ (tôm, cua)', category: 'FOOD', reaction: 'Nổi mẩn, ngứa' },
  { system: DEMO_ALLERGEN_SYSTEM, code: 'FOOD-PEANUT', display: 'Đậu phộng (lạc)', category: 'FOOD', reaction: 'Sưng môi, nổi mày đay' },
  { system: DEMO_ALLERGEN_SYSTEM, code: 'ENV-DUST-MITE', display: 'Mạt bụi nhà', category: 'ENVIRONMENT', reaction: 'Hắt hơi, chảy nước mũi' },
];

const BY_DIAGNOSIS = new Map(ICD10_DIAGNOSES.map((entry) => [entry.code, entry]));
const BY_LAB = new Map(LOINC_TESTS.map((entry) => [entry.code, entry]));
const BY_DRUG = new Map(DRUGS.map((entry) => [entry.key, entry]));
const BY_PROCEDURE = new Map(ICD9CM_PROCEDURES.map((entry) => [entry.code, entry]));

export function diagnosisByCode(code: string): DiagnosisEntry | undefined {
  return BY_DIAGNOSIS.get(code);
}

export function labByCode(code: string): LabTestEntry {
  return mustGet(BY_LAB, code, 'LOINC test');
}

export function drugByKey(key: string): DrugEntry {
  return mustGet(BY_DRUG, key, 'drug');
}

export function procedureByCode(code: string): ProcedureEntry {
  return mustGet(BY_PROCEDURE, code, 'procedure');
}

function mustGet<T>(map: ReadonlyMap<string, T>, key: string, what: string): T {
  const value = map.get(key);
  // A catalogue that names a code it does not define is a programmer error, not data.
  if (value === undefined) throw new Error(`catalogue has no ${what} ${key}`);
  return value;
}

function dx(
  code: string, display: string, chronic: boolean, inpatient: boolean,
  labs: readonly string[], drugs: readonly string[], procedures: readonly string[],
): DiagnosisEntry {
  return { code, display, chronic, inpatient, labs, drugs, procedures };
}

function lab(code: string, display: string, unit: string, low: number, high: number, min: number, max: number, decimals: number): LabTestEntry {
  return { code, display, unit, low, high, min, max, decimals };
}

function drug(key: string, code: string, display: string, unit: string, route: string, perDay: number): DrugEntry {
  return { key, code, display, unit, route, perDay };
}
