import { generateNonce } from '../../core/security/generateNonce';
import { signRequest } from '../../core/security/requestSignature';
import type { PeerConfig } from './peerConfig';

/**
 * The peers' subgraph requests must be signed too: our subgraphs have no unsigned mode. This adds
 * one HMAC per subgraph request to the peers (the same work patient-graph does), nothing else.
 */
export function signingFor(config: PeerConfig): (url: string, body: string) => Record<string, string> {
  const targets = new Map<string, string>([
    [config.identityUrl ?? '', 'identity'],
    [config.insuranceUrl ?? '', 'insurance'],
    [config.hospitalUrl ?? '', config.facilityCode],
  ]);
  return (url, body) => {
    const target = targets.get(url);
    const secret = target ? config.secrets[target] : undefined;
    if (!target || !secret) throw new Error(`benchmark: no signing secret for ${url}`);
    return { ...signRequest({ secret, method: 'POST', target, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() }) };
  };
}
