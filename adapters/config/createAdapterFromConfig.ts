import type { Logger } from '../../core/logging/logger';
import type { ClinicalAdapter, Facility } from '../sdk/ClinicalAdapter';
import { createFhirR4Adapter } from '../fhir-r4/createFhirR4Adapter';
import { createSqlHisAdapter } from '../sql-his/createSqlHisAdapter';
import { createXml130Adapter } from '../xml130/createXml130Adapter';
import type { AdapterConfig } from './SourceConfig';

/** Opens the adapter a source config names (connections, indexes, watchers). */
export async function createAdapterFromConfig(adapter: AdapterConfig, deps: { readonly logger: Logger; readonly facility: Facility }): Promise<ClinicalAdapter> {
  switch (adapter.kind) {
    case 'fhir-r4':
      return createFhirR4Adapter(adapter.config, deps);
    case 'sql-his':
      return createSqlHisAdapter(adapter.config, deps);
    case 'xml130':
      return createXml130Adapter(adapter.config, deps);
  }
}
