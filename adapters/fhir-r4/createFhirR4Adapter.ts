import { FhirR4Adapter, type FhirR4AdapterDeps } from './FhirR4Adapter';
import type { FhirR4Config } from './FhirR4Config';

/** The fhir-r4 adapter of one hospital, from its validated `adapter:` configuration (parseFhirR4Config). */
export function createFhirR4Adapter(config: FhirR4Config, deps: FhirR4AdapterDeps): FhirR4Adapter {
  return new FhirR4Adapter(config, deps);
}
