import type { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import type { SubgraphSigning } from '../../subgraphs/serveSubgraph';
import type { Logger } from '../../core/logging/logger';
import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import type { DemoFacility, Population } from '../population/types';
import type { DemoHospital } from './DemoHospital';
import { startDemoHospital } from './startDemoHospital';
import { startFhirDemoHospital } from './startFhirDemoHospital';
import { startSqlDemoHospital } from './startSqlDemoHospital';
import { startXml130DemoHospital } from './startXml130DemoHospital';
/** How a demo hospital keeps its records: through a real adapter kind, or the synthetic one. */

export type DemoHospitalKind = 'fhir-r4' | 'sql-his-modern' | 'sql-his-legacy' | 'sql-his-vendor' | 'xml130' | 'synthetic';

/**
 * The adapter each demo facility runs on (`npm start`): a FHIR server (Medplum in process), a
 * HIS in a Vietnamese vendor's conventions (BIGINT times, soft deletes, `;` lists of secondary
 * codes, code tables) and a legacy QĐ 130-style one (both on the embedded PGlite), and a folder
 * of QĐ 130 XML claim files. Facilities not listed run the synthetic adapter. (The modern
 * English demo schema, `sql-his-modern`, is still available to tests and deploy examples.)
 */
export const DEMO_HOSPITAL_KINDS: Readonly<Record<string, DemoHospitalKind>> = {
  '01901': 'fhir-r4',
  '79902': 'sql-his-vendor',
  '48903': 'xml130',
  '92904': 'sql-his-legacy',
};

export interface DemoHospitalOfKindOptions {
  readonly kind: DemoHospitalKind;
  readonly facility: DemoFacility;
  readonly population: Population;
  readonly logger: Logger;
  readonly host: string;
  readonly signing: SubgraphSigning;
  readonly analyticsKey?: Buffer;
  /** For the SQL HIS kinds: an embedded database already seeded with this facility's charts (the caller closes it). */
  readonly seededPglite?: PgliteDatabase;
  /** For the xml130 kind: an open embedded database to keep its index in (the caller closes it). */
  readonly indexPglite?: PgliteDatabase;
  /** sql-his kinds: a test's change to the seeded rows (startSqlDemoHospital `afterSeed`). */
  readonly afterSeed?: (writer: SqlHisExecutor) => Promise<void>;
}

/** Starts one demo hospital over the adapter of its kind. */
export async function startDemoHospitalOfKind(options: DemoHospitalOfKindOptions): Promise<DemoHospital> {
  const { kind, seededPglite, indexPglite, afterSeed, ...common } = options;
  const sql = { ...common, ...(seededPglite ? { pglite: seededPglite, seed: false } : {}), ...(afterSeed ? { afterSeed } : {}) };
  switch (kind) {
    case 'fhir-r4':
      return startFhirDemoHospital(common);
    case 'sql-his-modern':
      return startSqlDemoHospital({ ...sql, schema: 'modern' });
    case 'sql-his-legacy':
      return startSqlDemoHospital({ ...sql, schema: 'legacy' });
    case 'sql-his-vendor':
      return startSqlDemoHospital({ ...sql, schema: 'vendor' });
    case 'xml130':
      return startXml130DemoHospital({ ...common, ...(indexPglite ? { pglite: indexPglite } : {}) });
    case 'synthetic':
      return startDemoHospital(common);
  }
}
