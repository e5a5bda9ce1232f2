import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationSafelist } from '../../../../gateway/limits/OperationSafelist';
import { sha256Hex } from '../../../../core/crypto/sha256Hex';

const BODY = 'query PatientName($id: ID!) {\n  patient(nationalId: $id) {\n    name {\n      full\n    }\n  }\n}';
const manifest = (operations: unknown[]): unknown => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });
const entry = { id: sha256Hex(BODY), name: 'PatientName', type: 'query', body: BODY };

describe('OperationSafelist', () => {
  const safelist = OperationSafelist.fromManifest(manifest([entry]));

  it('finds an operation by id, with or without the sha256: prefix of GraphQL-over-HTTP document ids', () => {
    expect(safelist.byId(entry.id)?.name).toBe('PatientName');
    expect(safelist.byId(`sha256:${entry.id}`)?.name).toBe('PatientName');
    expect(safelist.byId(sha256Hex('{ patients { totalCount } }'))).toBeUndefined();
  });

  it('finds an operation by its exact text, or the same tokens laid out differently', () => {
    expect(safelist.byText(BODY)?.id).toBe(entry.id);
    expect(safelist.byText('query PatientName($id: ID!) { patient(nationalId: $id) { name { full } } } # one line')?.id).toBe(entry.id);
  });

  it('does not match a text that differs in any token', () => {
    expect(safelist.byText('query PatientName($id: ID!) { patient(nationalId: $id) { name { full family } } }')).toBeUndefined();
    expect(safelist.byText('query PatientName( {')).toBeUndefined();
  });

  it("adds the gateway's own operations to a new safelist, by id and by text, leaving the manifest's as they were", () => {
    const own = 'query Own($id: ID!) { patient(nationalId: $id) { nationalId } }';
    const widened = safelist.including([{ name: 'Own', type: 'query', body: own }]);
    expect(widened.byText(own)?.name).toBe('Own');
    expect(widened.byId(sha256Hex(own))?.body).toBe(own);
    expect(widened.byId(entry.id)?.name).toBe('PatientName');
    expect(widened.size).toBe(2);
    expect(safelist.byText(own)).toBeUndefined();
  });

  it('refuses a manifest whose id is not the SHA-256 of its body', () => {
    const forged = { ...entry, body: '{ patients(first: 100) { edges { node { nationalId } } } }' };
    expect(() => OperationSafelist.fromManifest(manifest([forged]))).toThrow(/operations\[0\]\.id .* is not the SHA-256 of its body/);
  });

  it('refuses a manifest of another format or with malformed entries, naming every problem', () => {
    const attempt = (): unknown => OperationSafelist.fromManifest({ format: 'relay', version: 2, operations: [entry, entry, { id: 1, type: 'fetch' }] });
    expect(attempt).toThrow(/format must be "apollo-persisted-query-manifest"/);
    expect(attempt).toThrow(/version must be 1/);
    expect(attempt).toThrow(/operations\[1\]\.id is registered twice/);
    expect(attempt).toThrow(/operations\[2\]\.type must be one of query, mutation, subscription/);
    expect(attempt).toThrow(/operations\[2\]\.body must be a non-empty string/);
  });

  it('loads a manifest file and names the file when it is not JSON', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pg-safelist-'));
    try {
      await writeFile(join(folder, 'ok.json'), JSON.stringify(manifest([entry])));
      await writeFile(join(folder, 'broken.json'), '{ "format": ');
      expect((await OperationSafelist.load(join(folder, 'ok.json'))).size).toBe(1);
      await expect(OperationSafelist.load(join(folder, 'broken.json'))).rejects.toThrow(/broken\.json is not JSON/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
