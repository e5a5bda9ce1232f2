import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import type { Encounter } from '../../contracts/model/clinical';
import type { AdministrativeGender } from '../../contracts/model/patient';
import { toVietnamDateTime } from '../../core/time/vietnamTime';
import { facilityRecordsOf } from '../population/facilityRecordsOf';
import type { Population } from '../population/types';
import { createVendorHisTables } from './createVendorHisTables';
import { insertRows } from './insertRows';

/**
 * The demo "vendor" HIS (demo/his/vendorHis.mapping.yaml): the facility's charts written in a
 * Vietnamese HIS vendor's conventions (createVendorHisTables): BIGINT ids and yyyyMMddHHmmss
 * times, the main ICD code on the treatment row and the secondary ones as a `;` list, lab results
 * as test indices under a service of type XN whose time is on its service request, procedures as
 * services of type TT, drugs dispensed from stock with names, units and routes in code tables,
 * and some soft-deleted rows (IS_DELETE = 1) that must never be served. It keeps no allergy or
 * problem list. Runs on PostgreSQL, PGlite and MariaDB.
 */
export async function seedVendorHis(executor: SqlHisExecutor, population: Population, facilityCode: string): Promise<{ readonly patients: number }> {
  await createVendorHisTables(executor);
  const rows = vendorHisRows(population, facilityCode);
  for (const [table, tableRows] of Object.entries(rows)) await insertRows(executor, table, tableRows);
  return { patients: rows.HIS_PATIENT?.length ?? 0 };
}

type Row = Readonly<Record<string, unknown>>;

/** HIS_GENDER: 1 Nữ, 2 Nam; anything else is not recorded. */
const GENDER_ID: Readonly<Partial<Record<AdministrativeGender, number>>> = { FEMALE: 1, MALE: 2 };
/** HIS_TREATMENT_TYPE: 1 Khám, 3 Điều trị nội trú, 4 Điều trị ban ngày (an emergency visit is an examination). */
const TREATMENT_TYPE_ID: Readonly<Record<Encounter['class'], number | null>> = { AMBULATORY: 1, EMERGENCY: 1, INPATIENT: 3, SHORT_STAY: 4, OTHER: null };
/** HIS_SERVICE_TYPE ids the mapping discriminates on. */
const SERVICE_TYPE = { XN: 2, TT: 4 } as const;

/** An ISO instant as the vendor writes it: BIGINT yyyyMMddHHmmss, Viet Nam wall clock. */
function vendorTime(isoDateTime: string | null): number | null {
  return isoDateTime === null ? null : Number(toVietnamDateTime(new Date(isoDateTime)).slice(0, 19).replace(/[-T:]/g, ''));
}

/**
 * Ids handed out per table, and code-table rows created once per distinct value; one instance
 * carried across calls of `vendorHisRows` numbers a population seeded in parts (bench/analytics/).
 */
export class VendorIds {
  /** Treatments numbered so far: which are written with IS_DELETE null and which get a cancelled copy. */
  encounters = 0;
  private readonly next = new Map<string, number>();
  private readonly codes = new Map<string, number>();

  id(table: string): number {
    const id = (this.next.get(table) ?? 0) + 1;
    this.next.set(table, id);
    return id;
  }

  /** The id of a code-table row for `key`, created through `create` the first time. */
  code(table: string, key: string, create: (id: number) => void): number {
    const existing = this.codes.get(`${table}\u0000${key}`);
    if (existing !== undefined) return existing;
    const id = this.id(table);
    this.codes.set(`${table}\u0000${key}`, id);
    create(id);
    return id;
  }
}

export function vendorHisRows(population: Population, facilityCode: string, ids: VendorIds = new VendorIds()): Record<string, Row[]> {
  const tables = ['HIS_PATIENT', 'HIS_TREATMENT', 'HIS_SERVICE_REQ', 'HIS_SERE_SERV', 'HIS_SERE_SERV_EXT', 'HIS_TEST_INDEX_UNIT', 'HIS_TEST_INDEX',
    'HIS_SERE_SERV_TEIN', 'HIS_MEDICINE_USE_FORM', 'HIS_MEDICINE_TYPE', 'HIS_EXP_MEST_MEDICINE', 'HIS_SERVICE_REQ_METY'];
  const rows: Record<string, Row[]> = Object.fromEntries(tables.map((table) => [table, []]));
  const push = (table: string, row: Row): void => void rows[table]?.push(row);
  // Every chart counts as registered when the HIS is seeded.
  const registeredAt = vendorTime(new Date().toISOString());
  for (const { person, record } of facilityRecordsOf(population, facilityCode)) {
    const patientId = ids.id('HIS_PATIENT');
    push('HIS_PATIENT', {
      ID: patientId, PATIENT_CODE: record.localPatientId, VIR_PATIENT_NAME: person.name.full,
      DOB: Number(`${person.birthDate.replace(/-/g, '')}000000`), GENDER_ID: GENDER_ID[person.gender] ?? null,
      CCCD_NUMBER: record.hasNationalId ? person.nationalId : null, CMND_NUMBER: null, PASSPORT_NUMBER: null,
      HEIN_CARD_NUMBER: record.hasInsuranceNumber ? person.insuranceNumber : null, MODIFY_TIME: registeredAt, IS_DELETE: 0,
    });
    const treatmentIds = new Map<string, number>();
    const chart = record.resources;
    for (const e of chart.encounters) {
      const treatmentId = ids.id('HIS_TREATMENT');
      treatmentIds.set(e.id, treatmentId);
      const primary = e.diagnoses.find((d) => d.role === 'PRIMARY');
      const secondary = e.diagnoses.filter((d) => d.role === 'SECONDARY');
      const treatment = {
        ID: treatmentId, TREATMENT_CODE: e.id, PATIENT_ID: patientId, IN_TIME: vendorTime(e.period.start), OUT_TIME: vendorTime(e.period.end),
        TDL_TREATMENT_TYPE_ID: TREATMENT_TYPE_ID[e.class], IS_PAUSE: e.status === 'FINISHED' ? 1 : 0,
        ICD_CODE: primary?.code.code ?? null, ICD_NAME: primary?.code.display ?? null,
        ICD_SUB_CODE: secondary.map((d) => d.code.code).join(';'), ICD_TEXT: secondary.map((d) => d.code.display ?? '').join(';'),
        IS_DELETE: ids.encounters % 2 === 0 ? 0 : null,
      };
      push('HIS_TREATMENT', treatment);
      // Every fifth treatment has a soft-deleted copy (a registration made twice and cancelled).
      if (ids.encounters % 5 === 0) push('HIS_TREATMENT', { ...treatment, ID: ids.id('HIS_TREATMENT'), TREATMENT_CODE: `${e.id}-HUY`, IS_DELETE: 1 });
      ids.encounters += 1;
    }
    const request = (treatmentId: number, instruction: string | null, finish: string | null): number => {
      const id = ids.id('HIS_SERVICE_REQ');
      push('HIS_SERVICE_REQ', {
        ID: id, SERVICE_REQ_CODE: `YL${id}`, TREATMENT_ID: treatmentId, TDL_PATIENT_ID: patientId, SERVICE_REQ_STT_ID: 3,
        INTRUCTION_TIME: vendorTime(instruction), FINISH_TIME: vendorTime(finish), IS_DELETE: 0,
      });
      return id;
    };
    for (const o of chart.observations) {
      const treatmentId = o.encounterId === null ? undefined : treatmentIds.get(o.encounterId);
      if (treatmentId === undefined) continue;
      const requestId = request(treatmentId, o.effectiveDateTime, o.effectiveDateTime);
      const sereServId = ids.id('HIS_SERE_SERV');
      push('HIS_SERE_SERV', {
        ID: sereServId, SERVICE_REQ_ID: requestId, TDL_TREATMENT_ID: treatmentId, TDL_SERVICE_TYPE_ID: SERVICE_TYPE.XN,
        TDL_SERVICE_CODE: `XN.${o.code.code}`, TDL_SERVICE_NAME: `Xét nghiệm ${o.code.display ?? o.code.code}`, AMOUNT: 1, IS_DELETE: 0,
      });
      const unit = o.valueQuantity?.unit ?? null;
      const unitId = unit === null ? null : ids.code('HIS_TEST_INDEX_UNIT', unit, (id) => push('HIS_TEST_INDEX_UNIT', { ID: id, TEST_INDEX_UNIT_NAME: unit }));
      const indexId = ids.code('HIS_TEST_INDEX', `${o.code.code}\u0000${unit ?? ''}`, (id) => push('HIS_TEST_INDEX', {
        ID: id, TEST_INDEX_CODE: o.code.code, TEST_INDEX_NAME: o.code.display, TEST_INDEX_UNIT_ID: unitId,
        MALE_MIN: null, MALE_MAX: null, FEMALE_MIN: null, FEMALE_MAX: null,
      }));
      const value = o.valueQuantity?.value ?? null;
      push('HIS_SERE_SERV_TEIN', {
        ID: ids.id('HIS_SERE_SERV_TEIN'), SERE_SERV_ID: sereServId, TEST_INDEX_ID: indexId, TDL_TREATMENT_ID: treatmentId,
        VALUE: value === null ? o.valueString : String(value), IS_DELETE: 0,
      });
    }
    for (const p of chart.procedures) {
      const treatmentId = p.encounterId === null ? undefined : treatmentIds.get(p.encounterId);
      if (treatmentId === undefined) continue;
      push('HIS_SERE_SERV', {
        ID: ids.id('HIS_SERE_SERV'), SERVICE_REQ_ID: request(treatmentId, p.performedDateTime, p.performedDateTime), TDL_TREATMENT_ID: treatmentId,
        TDL_SERVICE_TYPE_ID: SERVICE_TYPE.TT, TDL_SERVICE_CODE: p.code.code, TDL_SERVICE_NAME: p.code.display, AMOUNT: 1, IS_DELETE: 0,
      });
    }
    for (const m of chart.medications) {
      const treatmentId = m.encounterId === null ? undefined : treatmentIds.get(m.encounterId);
      if (treatmentId === undefined) continue;
      const route = m.route;
      const useFormId = route === null ? null : ids.code('HIS_MEDICINE_USE_FORM', route, (id) => push('HIS_MEDICINE_USE_FORM', { ID: id, MEDICINE_USE_FORM_NAME: route }));
      const typeId = ids.code('HIS_MEDICINE_TYPE', `${m.medication.code}\u0000${m.quantity?.unit ?? ''}\u0000${route ?? ''}`, (id) => push('HIS_MEDICINE_TYPE', {
        ID: id, MEDICINE_TYPE_CODE: m.medication.code, MEDICINE_TYPE_NAME: m.medication.display, SERVICE_UNIT_NAME: m.quantity?.unit ?? null, MEDICINE_USE_FORM_ID: useFormId,
      }));
      push('HIS_EXP_MEST_MEDICINE', {
        ID: ids.id('HIS_EXP_MEST_MEDICINE'), TDL_TREATMENT_ID: treatmentId, MEDICINE_TYPE_ID: typeId, AMOUNT: m.quantity?.value ?? null,
        TUTORIAL: m.dosageText, EXP_TIME: vendorTime(m.authoredOn), IS_DELETE: 0,
      });
    }
  }
  return rows;
}
