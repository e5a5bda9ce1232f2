import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { buildPersistedQueryManifest } from '../../../../gateway/limits/buildPersistedQueryManifest';
import { OperationSafelist } from '../../../../gateway/limits/OperationSafelist';
import { readOperationFiles } from '../../../../gateway/limits/readOperationFiles';
import { sha256Hex } from '../../../../core/crypto/sha256Hex';

const schema = buildSchema('type Query { patient(id: ID!): Patient } type Patient { id: ID! name: String birthDate: String }');

const PATIENT_FILE = {
  path: 'patient.graphql',
  text: `# The record screen
query PatientRecord($id: ID!) { patient(id: $id) { ...Demographics } }
query PatientName($id: ID!) { patient(id: $id) { name } }`,
};
const FRAGMENTS_FILE = {
  path: 'fragments/demographics.graphql',
  text: 'fragment Demographics on Patient { id ...Names birthDate }\nfragment Names on Patient { name }\nfragment Unused on Patient { id }',
};

describe('buildPersistedQueryManifest', () => {
  it('writes one entry per operation with the fragments it uses, ids being the SHA-256 of the body', () => {
    const manifest = buildPersistedQueryManifest([PATIENT_FILE, FRAGMENTS_FILE], { schema });
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.operations.map((o) => [o.name, o.type])).toEqual([['PatientName', 'query'], ['PatientRecord', 'query']]);
    const record = manifest.operations[1]!;
    expect(record.body).toBe(
      'query PatientRecord($id: ID!) {\n  patient(id: $id) {\n    ...Demographics\n  }\n}\n\n' +
        'fragment Demographics on Patient {\n  id\n  ...Names\n  birthDate\n}\n\n' +
        'fragment Names on Patient {\n  name\n}',
    );
    for (const operation of manifest.operations) expect(operation.id).toBe(sha256Hex(operation.body));
  });

  it('gives the same manifest whatever the order of the files', () => {
    expect(buildPersistedQueryManifest([FRAGMENTS_FILE, PATIENT_FILE])).toEqual(buildPersistedQueryManifest([PATIENT_FILE, FRAGMENTS_FILE]));
  });

  it('reports every problem with the file it comes from', () => {
    const attempt = (): unknown =>
      buildPersistedQueryManifest(
        [
          { path: 'a.graphql', text: '{ patient(id: 1) { id } } query Dup { patient(id: 1) { ...Missing } }' },
          { path: 'b.graphql', text: 'query Dup { patient(id: 1) { id } } query Bad { patient(id: 1) { nope } }' },
          { path: 'c.graphql', text: 'query {' },
          { path: 'd.graphql', text: 'type Extra { id: ID }' },
        ],
        { schema },
      );
    expect(attempt).toThrow(/a\.graphql: every operation needs a name/);
    expect(attempt).toThrow(/b\.graphql: operation Dup is already defined in a\.graphql/);
    expect(attempt).toThrow(/a\.graphql: operation Dup uses fragment Missing, which no file defines/);
    expect(attempt).toThrow(/b\.graphql: operation Bad: Cannot query field "nope" on type "Patient"/);
    expect(attempt).toThrow(/c\.graphql: Syntax Error/);
    expect(attempt).toThrow(/d\.graphql: only operations and fragments belong in an operation file/);
  });
});

describe('readOperationFiles', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pg-operations-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the .graphql files of a folder tree into a manifest the safelist loads', async () => {
    await mkdir(join(folder, 'fragments'));
    await writeFile(join(folder, PATIENT_FILE.path), PATIENT_FILE.text);
    await writeFile(join(folder, FRAGMENTS_FILE.path), FRAGMENTS_FILE.text);
    await writeFile(join(folder, 'notes.md'), '# not an operation');
    const files = await readOperationFiles(folder);
    expect(files.map((f) => f.path)).toEqual([FRAGMENTS_FILE.path, PATIENT_FILE.path]);
    const manifestPath = join(folder, 'manifest.json');
    await writeFile(manifestPath, JSON.stringify(buildPersistedQueryManifest(files, { schema })));
    const safelist = await OperationSafelist.load(manifestPath);
    expect(safelist.size).toBe(2);
  });
});
