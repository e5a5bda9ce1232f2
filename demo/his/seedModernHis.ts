import { sql } from 'kysely';
import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import { facilityRecordsOf } from '../population/facilityRecordsOf';
import type { Population } from '../population/types';
import { hisColumnTypes, instantValue } from './hisColumnTypes';
import { insertRows } from './insertRows';

/**
 * A modern HIS with an English schema (PostgreSQL first): native DATE and TIMESTAMPTZ columns,
 * numeric values with units, lower-case code words, family and given names apart, and an indexed
 * generated column with the BHXH code of the card (mapped as `bhxhColumn`). Its mapping is
 * demo/his/modernHis.mapping.yaml. Runs on PostgreSQL, PGlite and MariaDB (there `timestamptz`
 * becomes `datetime` in Viet Nam time).
 */
export async function seedModernHis(executor: SqlHisExecutor, population: Population, facilityCode: string): Promise<{ readonly patients: number }> {
  await createModernHisTables(executor);
  const rows = modernHisRows(population, facilityCode, executor);
  for (const [table, tableRows] of Object.entries(rows)) await insertRows(executor, table, tableRows);
  return { patients: rows.patients?.length ?? 0 };
}

async function createModernHisTables(executor: SqlHisExecutor): Promise<void> {
  await createPatientAndEncounterTables(executor);
  await createRecordTables(executor);
  // The look-up columns of findPatients, and the patient key of every table: one index each.
  const indexes: readonly (readonly [string, string])[] = [
    ['patients', 'national_id'], ['patients', 'bhxh_code'], ['patients', 'birth_date'],
    ['encounters', 'patient_id'], ['encounters', 'started_at'], ['encounter_diagnoses', 'encounter_id'], ['diagnoses', 'patient_id'],
    ['observations', 'patient_id'], ['medication_orders', 'patient_id'], ['procedures', 'patient_id'], ['allergies', 'patient_id'],
  ];
  for (const [table, column] of indexes) await executor.db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
}

const ID = 'varchar(32)';

async function createPatientAndEncounterTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  const { instant } = hisColumnTypes(executor.dialect);
  const id = ID;
  await schema.createTable('patients')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('national_id', 'varchar(12)')
    .addColumn('insurance_number', 'varchar(15)')
    .addColumn('bhxh_code', 'varchar(10)', (c) => c.generatedAlwaysAs(sql`right(${sql.ref('insurance_number')}, 10)`).stored())
    .addColumn('family_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('given_names', 'varchar(100)', (c) => c.notNull())
    .addColumn('birth_date', 'date')
    .addColumn('sex', 'varchar(10)')
    // When the front desk last changed the row's demographics: the registration feed reads it.
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await schema.createTable('encounters')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('class', 'varchar(20)')
    .addColumn('status', 'varchar(20)')
    .addColumn('started_at', instant)
    .addColumn('ended_at', instant)
    .addColumn('reason', 'text')
    .addColumn('department_codes', 'varchar(100)')
    .addColumn('total_cost', 'numeric(14, 2)')
    .addColumn('insurance_paid', 'numeric(14, 2)')
    .addColumn('patient_copay', 'numeric(14, 2)')
    .addColumn('patient_self_pay', 'numeric(14, 2)')
    .addColumn('insurance_card', 'varchar(15)')
    .execute();
  await schema.createTable('encounter_diagnoses')
    .addColumn('encounter_id', id, (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('icd10_code', 'varchar(10)', (c) => c.notNull())
    .addColumn('display', 'text')
    .addColumn('role', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('encounter_diagnoses_pk', ['encounter_id', 'rank'])
    .execute();
}

async function createRecordTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  const { instant } = hisColumnTypes(executor.dialect);
  const id = ID;
  await schema.createTable('diagnoses')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('encounter_id', id)
    .addColumn('icd10_code', 'varchar(10)', (c) => c.notNull())
    .addColumn('display', 'text')
    .addColumn('clinical_status', 'varchar(20)')
    .addColumn('recorded_at', instant)
    .execute();
  await schema.createTable('observations')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('encounter_id', id)
    .addColumn('loinc_code', 'varchar(20)', (c) => c.notNull())
    .addColumn('display', 'text')
    .addColumn('value', 'numeric(14, 3)')
    .addColumn('value_text', 'text')
    .addColumn('unit', 'varchar(20)')
    .addColumn('interpretation', 'varchar(4)')
    .addColumn('status', 'varchar(20)')
    .addColumn('observed_at', instant)
    .execute();
  await schema.createTable('medication_orders')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('encounter_id', id)
    .addColumn('drug_code', 'varchar(20)', (c) => c.notNull())
    .addColumn('drug_name', 'text')
    .addColumn('dosage', 'text')
    .addColumn('quantity', 'numeric(10, 2)')
    .addColumn('quantity_unit', 'varchar(20)')
    .addColumn('route', 'varchar(50)')
    .addColumn('status', 'varchar(20)')
    .addColumn('ordered_at', instant)
    .execute();
  await schema.createTable('procedures')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('encounter_id', id)
    .addColumn('icd9cm_code', 'varchar(10)', (c) => c.notNull())
    .addColumn('display', 'text')
    .addColumn('status', 'varchar(20)')
    .addColumn('performed_at', instant)
    .execute();
  await schema.createTable('allergies')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('patient_id', id, (c) => c.notNull())
    .addColumn('substance_system', 'varchar(100)')
    .addColumn('substance_code', 'varchar(40)', (c) => c.notNull())
    .addColumn('substance_name', 'text')
    .addColumn('category', 'varchar(20)')
    .addColumn('criticality', 'varchar(20)')
    .addColumn('reaction', 'text')
    .addColumn('recorded_at', instant)
    .execute();
}

type Row = Readonly<Record<string, unknown>>;

/** Contract words in the modern schema's spelling: `SHORT_STAY` → `short-stay`. */
function word(value: string | null): string | null {
  return value === null ? null : value.toLowerCase().replace(/_/g, '-');
}

function modernHisRows(population: Population, facilityCode: string, executor: SqlHisExecutor): Record<string, Row[]> {
  const at = (iso: string | null): string | null => instantValue(iso, executor.dialect);
  const rows: Record<string, Row[]> = {
    patients: [], encounters: [], encounter_diagnoses: [], diagnoses: [], observations: [], medication_orders: [], procedures: [], allergies: [],
  };
  const push = (table: string, row: Row): void => void rows[table]?.push(row);
  // Every chart counts as registered when the HIS is seeded (whole seconds: what the columns keep).
  const registeredAt = at(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());
  for (const { person, record } of facilityRecordsOf(population, facilityCode)) {
    const patientId = record.localPatientId;
    push('patients', {
      id: patientId,
      national_id: record.hasNationalId ? person.nationalId : null,
      insurance_number: record.hasInsuranceNumber ? person.insuranceNumber : null,
      family_name: person.name.family ?? '',
      given_names: person.name.given.join(' '),
      birth_date: person.birthDate,
      sex: word(person.gender),
      updated_at: registeredAt,
    });
    const chart = record.resources;
    for (const e of chart.encounters) {
      push('encounters', {
        id: e.id, patient_id: patientId, class: word(e.class), status: word(e.status),
        started_at: at(e.period.start), ended_at: at(e.period.end), reason: e.reasonText,
        department_codes: e.departmentCodes.join(','),
        total_cost: e.cost?.total ?? null, insurance_paid: e.cost?.insurancePaid ?? null,
        patient_copay: e.cost?.patientCoPay ?? null, patient_self_pay: e.cost?.patientSelfPay ?? null,
        insurance_card: e.cost?.insuranceCardUsed ?? null,
      });
      for (const d of e.diagnoses) {
        push('encounter_diagnoses', { encounter_id: e.id, rank: d.rank, icd10_code: d.code.code, display: d.code.display, role: word(d.role) });
      }
    }
    for (const c of chart.conditions) {
      push('diagnoses', { id: c.id, patient_id: patientId, encounter_id: c.encounterId, icd10_code: c.code.code, display: c.code.display, clinical_status: word(c.clinicalStatus), recorded_at: at(c.recordedDate) });
    }
    for (const o of chart.observations) {
      push('observations', {
        id: o.id, patient_id: patientId, encounter_id: o.encounterId, loinc_code: o.code.code, display: o.code.display,
        value: o.valueQuantity?.value ?? null, value_text: o.valueString, unit: o.valueQuantity?.unit ?? null,
        interpretation: o.interpretation, status: word(o.status), observed_at: at(o.effectiveDateTime),
      });
    }
    for (const m of chart.medications) {
      push('medication_orders', {
        id: m.id, patient_id: patientId, encounter_id: m.encounterId, drug_code: m.medication.code, drug_name: m.medication.display,
        dosage: m.dosageText, quantity: m.quantity?.value ?? null, quantity_unit: m.quantity?.unit ?? null, route: m.route,
        status: word(m.status), ordered_at: at(m.authoredOn),
      });
    }
    for (const p of chart.procedures) {
      push('procedures', { id: p.id, patient_id: patientId, encounter_id: p.encounterId, icd9cm_code: p.code.code, display: p.code.display, status: word(p.status), performed_at: at(p.performedDateTime) });
    }
    for (const a of chart.allergies) {
      push('allergies', {
        id: a.id, patient_id: patientId, substance_system: a.code.system, substance_code: a.code.code, substance_name: a.code.display,
        category: word(a.category), criticality: word(a.criticality), reaction: a.reactionText, recorded_at: at(a.recordedDate),
      });
    }
  }
  return rows;
}
