import type { SubgraphTls } from '../../core/http/SubgraphTls';
import type { SigningExtras } from '../../core/security/parseSigningExtras';
import type { Facility } from '../sdk/ClinicalAdapter';
import type { MatchOptions } from '../sdk/matchPatients';
import type { FhirR4Config } from '../fhir-r4/FhirR4Config';
import type { SqlHisConfig } from '../sql-his/SqlHisConfig';
import type { Xml130Config } from '../xml130/parseXml130Config';

/** The adapter section of a hospital source config, by kind. */
export type AdapterConfig =
  | { readonly kind: 'fhir-r4'; readonly config: FhirR4Config }
  | { readonly kind: 'sql-his'; readonly config: SqlHisConfig }
  | { readonly kind: 'xml130'; readonly config: Xml130Config };

/**
 * One clinical source, as `patient-graph source serve --config hospital.yaml` runs it at the
 * hospital: which facility, which adapter over which system, where to listen, and the secret the
 * gateway signs its requests with.
 */
export interface SourceConfig {
  readonly facility: Facility;
  readonly adapter: AdapterConfig;
  /** `tls`: serve HTTPS, and with `clientCa` require the gateway's client certificate (mTLS). */
  readonly server: { readonly host: string; readonly port: number; readonly tls?: SubgraphTls };
  readonly signing: { readonly secret: string } & SigningExtras;
  readonly match: MatchOptions;
  /** The network's analytics key (distinct-patient counts); absent: this source refuses them. */
  readonly analyticsKey: Buffer | null;
}
