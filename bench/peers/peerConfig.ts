/** What the orchestrator tells each benchmark process (JSON in argv). */
export interface PeerConfig {
  readonly facilityCode: string;
  readonly facilityName: string;
  /** Request-signing secrets by target (`identity`, `insurance`, the facility code). */
  readonly secrets: Readonly<Record<string, string>>;
  /** Set once the subgraphs listen. */
  readonly identityUrl?: string;
  readonly insuranceUrl?: string;
  readonly hospitalUrl?: string;
}

export type GatewayKind = 'patient-graph' | 'apollo-gateway' | 'hive-gateway';

export type PeerMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly config?: PeerConfig }
  | { readonly kind: 'stats'; readonly cpuMicros: number; readonly rssBytes: number };
