import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeGatewayConfig, renderConfigReference, type ConfigKey } from '../../../../gateway/config/describeGatewayConfig';
import { makeTestPki } from '../../../helpers/makeTestPki';
import { GATEWAY_CONFIG_DESCRIPTIONS } from '../../../../gateway/config/gatewayConfigDescriptions';
import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

const DOC = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'pg-devex-config-'));
const publicKeyFile = join(dir, 'key.pem');
writeFileSync(publicKeyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
let keys: ConfigKey[] = [];

beforeAll(async () => {
  const pki = await makeTestPki();
  keys = describeGatewayConfig({ publicKeyFile, caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile }, () => randomBytes(32).toString('hex'));
}, 120_000);

describe('the gateway configuration reference (docs/configuration.md), generated from the parser', () => {
  it('is the table in docs/configuration.md, key for key', () => {
    const block = /<!-- config-reference:begin -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(DOC)?.[1];
    // On failure: paste the expected text between the markers (after describing a new key).
    expect(block).toBe(renderConfigReference(keys, GATEWAY_CONFIG_DESCRIPTIONS));
  });

  it('describes every key the parser knows, and no key it does not', () => {
    const known = keys.map((key) => key.path).sort();
    expect(Object.keys(GATEWAY_CONFIG_DESCRIPTIONS).sort()).toEqual(known);
  });

  it('names defaults the parser really applies', () => {
    const secret = randomBytes(32).toString('hex');
    const minimal = parseGatewayConfig({
      server: {},
      auth: { kind: 'development' },
      identity: { url: 'http://identity/', secret },
      insurance: { url: 'http://insurance/', secret },
      hospitals: [{ code: '01001', name: 'A', url: 'http://a/', secret }],
    }, join(dir, 'gateway.yaml'), {});
    const row = (path: string) => keys.find((key) => key.path === path)?.defaultValue;
    expect(minimal.server.port).toBe(row('server.port'));
    expect(minimal.locatorFallbackSources).toBe(row('locatorFallbackSources'));
    expect(minimal.introspection).toBe(row('introspection'));
    expect(minimal.hospitals[0]?.timeoutMs).toBe(row('hospitals[].timeoutMs'));
    expect(minimal.identity.timeoutMs).toBe(row('identity.timeoutMs'));
    expect(minimal.analytics.disclosure.threshold).toBe(row('analytics.disclosure.threshold'));
    // Defaults stated in prose, not through a typed read.
    expect(minimal.server.host).toBe('127.0.0.1');
    expect(minimal.state).toEqual({ kind: 'embedded', dir: join(dir, '.patient-graph') });
    expect(minimal.cors.allowedOrigins).toEqual([]);
    expect(minimal.metrics).toBeNull();
    expect(minimal.tracing).toBeNull();
    expect(minimal.safelist).toBeNull();
    expect(minimal.audit).toBeUndefined();
  });
});
