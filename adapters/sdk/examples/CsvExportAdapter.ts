import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SYSTEMS, type ClinicalResourceKind, type DiagnosisCount, type Encounter, type EncounterClass } from '../../../contracts/model/clinical';
import type { AdministrativeGender } from '../../../contracts/model/patient';
import type { AnalyticsFilter, ClinicalAdapter, PatientLookup, PatientResource, SourcePatient } from '../ClinicalAdapter';

/**
 * A complete custom adapter (adapters/sdk/README.md): a hospital without FHIR or direct database
 * access exports two CSV files every night, and this adapter answers from them.
 *
 * - `patients.csv`: `local_id,national_id,insurance_number,full_name,birth_date,gender`
 * - `encounters.csv`: `id,patient_local_id,start,end,class,icd10,diagnosis`
 *
 * Comma-separated, first line a header, no quoted commas (the export is under our control). Only
 * encounters are exported; the other clinical lists answer empty. Matching the person and the
 * provenance of each item are done by the SDK, not here.
 */
export class CsvExportAdapter implements ClinicalAdapter {
  readonly system = 'csv-export';
  private readonly patients: readonly SourcePatient[];
  private readonly encounters: readonly { readonly patientLocalId: string; readonly encounter: Encounter }[];

  constructor(folder: string) {
    this.patients = readCsv(join(folder, 'patients.csv')).map((row) => ({
      localId: row.local_id ?? '',
      nationalId: row.national_id || null,
      insuranceNumber: row.insurance_number || null,
      fullName: row.full_name || null,
      birthDate: row.birth_date || null,
      gender: genderOf(row.gender),
    }));
    this.encounters = readCsv(join(folder, 'encounters.csv')).map((row) => ({
      patientLocalId: row.patient_local_id ?? '',
      encounter: {
        id: row.id ?? '',
        status: 'FINISHED',
        class: classOf(row.class),
        period: { start: row.start || null, end: row.end || null },
        reasonText: null,
        diagnoses: row.icd10 ? [{ code: { system: CODE_SYSTEMS.ICD10, code: row.icd10, display: row.diagnosis || null }, role: 'PRIMARY', rank: 1 }] : [],
        departmentCodes: [],
        cost: null,
      },
    }));
  }

  /** One pass over the export per batch: every record whose national ID, BHXH code or birth date is asked. */
  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    const ids = new Set(lookup.nationalIds);
    const bhxh = new Set(lookup.socialInsuranceNumbers);
    const births = new Set(lookup.birthDates);
    return this.patients.filter(
      (p) => (p.nationalId !== null && ids.has(p.nationalId)) || (p.insuranceNumber !== null && bhxh.has(p.insuranceNumber.slice(-10))) || (p.birthDate !== null && births.has(p.birthDate)),
    );
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    if (kind !== 'encounters') return [];
    const wanted = new Set(patientLocalIds);
    return this.encounters.filter((e) => wanted.has(e.patientLocalId)).map((e) => ({ patientLocalId: e.patientLocalId, resource: e.encounter })) as unknown as PatientResource<K>[];
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    const counts = new Map<string, DiagnosisCount>();
    for (const { encounter } of this.inWindow(filter)) {
      const primary = encounter.diagnoses[0]?.code;
      if (!primary) continue;
      const row = counts.get(primary.code);
      counts.set(primary.code, { code: primary.code, display: row?.display ?? primary.display, encounters: (row?.encounters ?? 0) + 1 });
    }
    return [...counts.values()];
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    return this.inWindow(filter).length;
  }

  /** Encounters starting in the window (calendar dates of the export, Viet Nam time). */
  private inWindow(filter: AnalyticsFilter): readonly { readonly encounter: Encounter }[] {
    return this.encounters.filter(({ encounter }) => {
      const day = encounter.period.start?.slice(0, 10) ?? null;
      if (day === null) return filter.from === null && filter.to === null;
      return (filter.from === null || day >= filter.from) && (filter.to === null || day <= filter.to);
    });
  }
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

function genderOf(value: string | undefined): AdministrativeGender | null {
  switch (value) {
    case 'M':
      return 'MALE';
    case 'F':
      return 'FEMALE';
    default:
      return null;
  }
}

function classOf(value: string | undefined): EncounterClass {
  return value === 'INPATIENT' || value === 'EMERGENCY' || value === 'SHORT_STAY' || value === 'AMBULATORY' ? value : 'OTHER';
}
