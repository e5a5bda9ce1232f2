import type { SubgraphSigning } from '../../subgraphs/serveSubgraph';
import type { Logger } from '../../core/logging/logger';
import type { DemoFacility, Population } from '../population/types';
import type { DemoHospital } from './DemoHospital';
import { startDemoHospital } from './startDemoHospital';
import { startFhirDemoHospital } from './startFhirDemoHospital';
import { startSqlDemoHospital } from './startSqlDemoHospital';
import { startXml130DemoHospital } from './startXml130DemoHospital';
/** How a demo hospital keeps its records: through a real adapter kind, or the synthetic one. */

export type DemoHospitalKind = 'fhir-r4' | 'sql-his-modern' | 'sql-his-legacy' | 'xml130' | 'synthetic';

/**
 * The adapter each demo facility runs on (`npm start`): a FHIR server (Medplum in process), a
 * modern English HIS schema and a legacy Vietnamese one (both on the embedded PGlite), and a
 * folder of QĐ 130 XML claim files. Facilities not listed run the synthetic adapter.
 */
export const DEMO_HOSPITAL_KINDS: Readonly<Record<string, DemoHospitalKind>> = {
  '01901': 'fhir-r4',
  '79902': 'sql-his-modern',
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
}

/** Starts one demo hospital over the adapter of its kind. */
export async function startDemoHospitalOfKind(options: DemoHospitalOfKindOptions): Promise<DemoHospital> {
  const { kind, ...common } = options;
  switch (kind) {
    case 'fhir-r4':
      return startFhirDemoHospital(common);
    case 'sql-his-modern':
      return startSqlDemoHospital({ ...common, schema: 'modern' });
    case 'sql-his-legacy':
      return startSqlDemoHospital({ ...common, schema: 'legacy' });
    case 'xml130':
      return startXml130DemoHospital(common);
    case 'synthetic':
      return startDemoHospital(common);
  }
}
