import type { Logger } from '../../core/logging/logger';
import type { ClinicalResourceKind, ClinicalResources, DiagnosisCount, EncounterDiagnosis } from '../../core/model/clinical';
import type { AnalyticsFilter, ClinicalAdapter, Facility, PatientLookup, PatientResource, SourcePatient } from '../sdk/ClinicalAdapter';
import { HIS_ROW_KEYS, numberOf, textOf, type HisRow } from './hisRowValues';
import type { SqlHisConnection } from './SqlHisConnection';
import type { SqlHisMapping } from './SqlHisMapping';
import { SqlHisQueries, type HisQuery } from './SqlHisQueries';
import { toAllergy, toCondition, toEncounter, toEncounterDiagnoses, toMedication, toObservation, toProcedure } from './toClinicalResource';
import { toSourcePatient } from './toSourcePatient';
import { toSourceError } from './toSourceError';

export interface SqlHisAdapterOptions {
  readonly connection: SqlHisConnection;
  readonly mapping: SqlHisMapping;
  readonly facility: Facility;
  readonly logger: Logger;
  /** Reported in SOURCE_TIMEOUT messages (the connection enforces it). */
  readonly statementTimeoutMs: number;
}

/** Statements the adapter ran (the batching guarantee of docs/architecture.md §4, measured at the database). */
export interface SqlHisStats {
  readonly statements: number;
}

type Loaders = { readonly [K in ClinicalResourceKind]: (patientIds: readonly string[]) => Promise<PatientResource<K>[]> };

/**
 * A hospital's relational HIS database as a clinical source (system `sql-his`): the statements
 * of `SqlHisQueries` run on a read-only connection, rows decoded by the mapping. Batches cost one
 * statement per table, whatever their size (up to `VALUES_PER_STATEMENT`). Database failures
 * leave as SOURCE_TIMEOUT / SOURCE_UNAVAILABLE naming the facility, logged here with the driver's
 * code (never the SQL's values).
 */
export class SqlHisAdapter implements ClinicalAdapter {
  readonly system = 'sql-his';
  private readonly queries: SqlHisQueries;
  private readonly loaders: Loaders;

  constructor(private readonly options: SqlHisAdapterOptions) {
    this.queries = new SqlHisQueries(options.connection.db, options.connection.dialect, options.mapping);
    const m = options.mapping;
    this.loaders = {
      encounters: (ids) => this.loadEncounters(ids),
      conditions: (ids) => this.loadRows('conditions', ids, (row) => (m.conditions ? toCondition(row, m.conditions) : null)),
      observations: (ids) => this.loadRows('observations', ids, (row) => (m.observations ? toObservation(row, m.observations) : null)),
      medications: (ids) => this.loadRows('medications', ids, (row) => (m.medications ? toMedication(row, m.medications) : null)),
      procedures: (ids) => this.loadRows('procedures', ids, (row) => (m.procedures ? toProcedure(row, m.procedures) : null)),
      allergies: (ids) => this.loadRows('allergies', ids, (row) => (m.allergies ? toAllergy(row, m.allergies) : null)),
    };
  }

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    const rows = await this.run('findPatients', this.queries.findPatients(lookup));
    return rows.map((row) => toSourcePatient(row, this.options.mapping.patients)).filter((p): p is SourcePatient => p !== null);
  }

  loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    return this.loaders[kind](patientLocalIds);
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    const query = this.queries.diagnosisCounts(filter);
    const rows = query === null ? [] : await this.run('diagnosisCounts', [query]);
    return rows.flatMap((row) => {
      const code = textOf(row[HIS_ROW_KEYS.code]);
      return code === null ? [] : [{ code, display: textOf(row[HIS_ROW_KEYS.display]), encounters: numberOf(row[HIS_ROW_KEYS.count]) ?? 0 }];
    });
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    const query = this.queries.encounterCount(filter);
    const rows = query === null ? [] : await this.run('encounterCount', [query]);
    return numberOf(rows[0]?.[HIS_ROW_KEYS.count]) ?? 0;
  }

  stats(): SqlHisStats {
    return { statements: this.options.connection.statements() };
  }

  async close(): Promise<void> {
    await this.options.connection.close();
  }

  /** Encounters and their diagnoses: two statements (one per table), run side by side. */
  private async loadEncounters(patientIds: readonly string[]): Promise<PatientResource<'encounters'>[]> {
    const mapping = this.options.mapping.encounters;
    if (mapping === undefined) return [];
    const [rows, diagnosisRows] = await Promise.all([
      this.run('loadResources.encounters', this.queries.resources('encounters', patientIds)),
      this.run('loadResources.encounters', this.queries.encounterDiagnoses(patientIds)),
    ]);
    const diagnoses = mapping.diagnoses === null ? new Map<string, EncounterDiagnosis[]>() : toEncounterDiagnoses(diagnosisRows, mapping.diagnoses);
    return rows.flatMap((row) => {
      const patientLocalId = textOf(row[HIS_ROW_KEYS.patient]);
      const encounterId = textOf(row[mapping.id]);
      const resource = toEncounter(row, mapping, (encounterId === null ? undefined : diagnoses.get(encounterId)) ?? []);
      return patientLocalId === null || resource === null ? [] : [{ patientLocalId, resource }];
    });
  }

  private async loadRows<K extends ClinicalResourceKind>(
    kind: K,
    patientIds: readonly string[],
    decode: (row: HisRow) => ClinicalResources[K] | null,
  ): Promise<PatientResource<K>[]> {
    const rows = await this.run(`loadResources.${kind}`, this.queries.resources(kind, patientIds));
    return rows.flatMap((row) => {
      const patientLocalId = textOf(row[HIS_ROW_KEYS.patient]);
      const resource = decode(row);
      return patientLocalId === null || resource === null ? [] : [{ patientLocalId, resource }];
    });
  }

  /** Runs a batch's statements (one per chunk); any failure becomes the facility's coded error. */
  private async run(operation: string, queries: readonly HisQuery[]): Promise<HisRow[]> {
    try {
      const results = await Promise.all(queries.map((query) => query.execute()));
      return results.flat();
    } catch (error) {
      const coded = toSourceError(error, { facilityCode: this.options.facility.code, statementTimeoutMs: this.options.statementTimeoutMs });
      this.options.logger.error('sql_his.statement_failed', {
        facilityCode: this.options.facility.code,
        operation,
        code: coded.code,
        errorName: error instanceof Error ? error.name : typeof error,
        driverCode: driverCodeOf(error),
        // Driver messages may quote a value; the logger scrubs identifier-shaped text (redactPhi).
        message: error instanceof Error ? error.message : undefined,
      });
      throw coded;
    }
  }
}

function driverCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
