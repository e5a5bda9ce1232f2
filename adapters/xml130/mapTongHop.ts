import type { SourcePatient } from '../sdk/ClinicalAdapter';
import { SOURCE_IDENTIFIER_SYSTEMS } from '../sdk/sourceIdentifierSystems';
import {
  CODE_SYSTEMS,
  type Condition,
  type Encounter,
  type EncounterCost,
  type EncounterDiagnosis,
} from '../../contracts/model/clinical';
import type { AdministrativeGender } from '../../contracts/model/patient';
import { diagnosisDisplays } from './diagnosisDisplays';
import { encounterClassOf } from './encounterClassOf';
import { internOrNull, internText } from './internText';
import type { Xml130Row } from './InnerDocument';
import { invalidMapping, mapped, type Mapping } from './Mapping';
import { parseQd130BirthDate, splitQd130List } from './qd130Formats';
import { Xml130RowReader } from './Xml130RowReader';

/** What XML1 of one HOSO gives: the episode, its diagnoses as conditions, and the patient. */
export interface TongHop {
  readonly maLk: string;
  readonly patient: SourcePatient;
  readonly encounter: Encounter;
  readonly conditions: readonly Condition[];
}

/** GIOI_TINH (XML1 field 7, §4.1): 1 Nam, 2 Nữ, 3 Chưa xác định. */
const GENDERS: Readonly<Record<string, AdministrativeGender>> = { '1': 'MALE', '2': 'FEMALE', '3': 'UNKNOWN' };

/**
 * Maps the XML1 record (`TONG_HOP`, QĐ 130/4750 §3.1, or its QĐ 4210 form §3.8) of one HOSO.
 * Mandatory here: MA_LK (1), MA_BN (3), HO_TEN (4), NGAY_VAO (35); a malformed time, birth date or
 * amount, a discharge before admission, or another facility's MA_CSKCB (58) make XML1 invalid.
 * `expectedFacilityCode` is the facility the folder belongs to, when known.
 */
export function mapTongHop(row: Xml130Row, expectedFacilityCode?: string): Mapping<TongHop> {
  const read = new Xml130RowReader('XML1', row);
  const maLk = read.required('MA_LK');
  const patient = patientOf(read);
  const start = read.dateTime('NGAY_VAO', { required: true });
  const end = read.dateTime('NGAY_RA');
  if (start !== null && end !== null && Date.parse(end) < Date.parse(start)) read.problem('NGAY_RA', 'is before NGAY_VAO');
  const facility = read.text('MA_CSKCB');
  if (expectedFacilityCode !== undefined && facility !== null && facility !== expectedFacilityCode) {
    read.problem('MA_CSKCB', 'names another facility');
  }
  const diagnoses = diagnosesOf(read);
  const cost = costOf(read);
  if (read.problems.length > 0 || maLk === null || patient === null) return invalidMapping(read.problems);

  const encounter: Encounter = {
    id: maLk,
    // NGAY_RA (37) is mandatory once the episode is over; without it the episode is still open.
    status: end === null ? 'IN_PROGRESS' : 'FINISHED',
    class: encounterClassOf(read.text('MA_LOAI_KCB'), read.text('MA_DOITUONG_KCB')),
    period: { start, end },
    reasonText: read.text('LY_DO_VV'), // field 22 (not in QĐ 4210)
    diagnoses,
    departmentCodes: splitQd130List(read.text('MA_KHOA')).map(internText), // field 57
    cost,
  };
  const conditions = diagnoses.map((diagnosis): Condition => ({
    id: `${maLk}:XML1:${diagnosis.rank}`,
    code: diagnosis.code,
    // A claim says the disease was diagnosed or treated in the episode, not whether it is over.
    clinicalStatus: 'UNKNOWN',
    recordedDate: end ?? start,
    encounterId: maLk,
  }));
  return mapped({ maLk, patient, encounter, conditions });
}

function patientOf(read: Xml130RowReader): SourcePatient | null {
  const localId = read.required('MA_BN'); // field 3
  const fullName = read.required('HO_TEN'); // field 4
  const cccd = read.text('SO_CCCD'); // field 5: CCCD, old CMND or passport; only the 12-digit CCCD is the national ID
  const birth = read.text('NGAY_SINH'); // field 6
  const birthDate = birth === null ? null : parseQd130BirthDate(birth);
  if (birthDate?.kind === 'invalid') read.problem('NGAY_SINH', 'is not a valid yyyyMMddHHmm (or QĐ 4210 yyyyMMdd) date');
  // Field 17 MA_THE_BHYT (QĐ 4210 MA_THE): a `;`-list when a new card was issued during the stay.
  const card = splitQd130List(read.text('MA_THE_BHYT'))[0]?.toUpperCase() ?? null;
  if (localId === null || fullName === null) return null;
  return {
    localId,
    nationalId: cccd !== null && /^\d{12}$/.test(cccd) ? cccd : null,
    insuranceNumber: card,
    fullName,
    birthDate: birthDate?.kind === 'date' ? birthDate.date : null,
    gender: GENDERS[read.text('GIOI_TINH') ?? ''] ?? null, // field 7
    identifiers: [
      { system: SOURCE_IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: localId },
      ...(cccd === null ? [] : [{ system: identityDocumentSystem(cccd), value: cccd }]),
      ...(card === null ? [] : [{ system: SOURCE_IDENTIFIER_SYSTEMS.INSURANCE_NUMBER, value: card }]),
    ],
  };
}

/** SO_CCCD holds a CCCD (12 digits), an old CMND (9 digits) or a passport number. */
function identityDocumentSystem(value: string): string {
  if (/^\d{12}$/.test(value)) return SOURCE_IDENTIFIER_SYSTEMS.NATIONAL_ID;
  return /^\d{9}$/.test(value) ? SOURCE_IDENTIFIER_SYSTEMS.OLD_ID_CARD : SOURCE_IDENTIFIER_SYSTEMS.IDENTITY_DOCUMENT;
}

/**
 * Field 27 MA_BENH_CHINH (QĐ 4210 MA_BENH) is the main diagnosis, field 28 MA_BENH_KT (QĐ 4210
 * MA_BENHKHAC) the `;`-separated comorbidities; displays come from field 26 CHAN_DOAN_RV.
 */
function diagnosesOf(read: Xml130RowReader): EncounterDiagnosis[] {
  const codes = [...new Set([...splitQd130List(read.text('MA_BENH_CHINH')), ...splitQd130List(read.text('MA_BENH_KT'))].map((c) => c.toUpperCase()))];
  const displays = diagnosisDisplays(codes, read.text('CHAN_DOAN_RV'));
  const primaryCount = splitQd130List(read.text('MA_BENH_CHINH')).length > 0 ? 1 : 0;
  return codes.map((code, index) => ({
    code: { system: CODE_SYSTEMS.ICD10, code: internText(code), display: internOrNull(displays[index] ?? null) },
    role: index < primaryCount ? 'PRIMARY' : 'SECONDARY',
    rank: index + 1,
  }));
}

/**
 * Totals of the episode in VND: field 47 T_TONGCHI_BV (QĐ 4210 T_TONGCHI), 51 T_BHTT, 50 T_BNCCT,
 * 49 T_BNTT, and the card of field 17 (the first one when several).
 */
function costOf(read: Xml130RowReader): EncounterCost | null {
  const cost: EncounterCost = {
    total: read.number('T_TONGCHI_BV'),
    insurancePaid: read.number('T_BHTT'),
    patientCoPay: read.number('T_BNCCT'),
    patientSelfPay: read.number('T_BNTT'),
    insuranceCardUsed: splitQd130List(read.text('MA_THE_BHYT'))[0]?.toUpperCase() ?? null,
  };
  return Object.values(cost).every((value) => value === null) ? null : cost;
}
