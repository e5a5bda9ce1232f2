/**
 * TLS material for an outbound HTTPS link to a source (docs/security.md "Gateway → source over
 * mutual TLS"): the CA that signed the source's server certificate, and the gateway's own client
 * certificate and key, PEM-encoded. Loaded from files named in the config; never logged.
 */
export interface ClientTls {
  /** CA certificate(s) trusted for the source's server certificate (default: Node's public roots). */
  readonly ca?: string;
  /** The gateway's client certificate, presented when the source asks for one (mTLS). */
  readonly cert?: string;
  /** The private key of `cert`. */
  readonly key?: string;
}

/** Gateway-wide TLS for every https:// source, with per-source overrides by source code. */
export interface SourceTlsSettings {
  readonly default?: ClientTls;
  readonly bySource?: ReadonlyMap<string, ClientTls>;
}

/** The TLS a source's link uses: its own, else the gateway-wide one; none for plain http. */
export function clientTlsFor(settings: SourceTlsSettings | undefined, code: string): ClientTls | undefined {
  return settings?.bySource?.get(code) ?? settings?.default;
}
