import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_NAMES } from '../../contracts/loadContract';
import { runCli } from '../helpers/runCli';

const REPO = join(__dirname, '..', '..');
const PUBLISHED = join(REPO, 'schema');

/** A copy of schema/ whose published `file` had `field` in `type` (so the code "removed" it). */
function publishedWithExtraField(file: string, typeLine: string, field: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-devex-schema-'));
  cpSync(PUBLISHED, dir, { recursive: true });
  const path = join(dir, file);
  const sdl = readFileSync(path, 'utf8');
  expect(sdl).toContain(typeLine);
  writeFileSync(path, sdl.replace(typeLine, `${typeLine}\n  "Published earlier."\n  ${field}: String`));
  return dir;
}

describe('patient-graph schema check', () => {
  it('passes on the committed schema/: the code has no breaking change against it', async () => {
    const { code, stdout } = await runCli(['schema', 'check', '--dir', PUBLISHED]);
    expect(stdout).not.toContain('BREAKING');
    expect(code).toBe(0);
  }, 120_000);

  it('fails (exit 1) on a field removed from the supergraph or a contract, naming it', async () => {
    const supergraph = publishedWithExtraField('supergraph.graphql', 'type Patient implements Person {', 'oldField');
    const removed = await runCli(['schema', 'check', '--dir', supergraph]);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain("supergraph: BREAKING: Field 'oldField' was removed from object type 'Patient' [Patient.oldField]");
    expect(removed.stderr).toContain('1 undeclared breaking change');

    const clinical = publishedWithExtraField('clinical.graphql', 'type Observation {', 'oldValue');
    const fromContract = await runCli(['schema', 'check', '--dir', clinical]);
    expect(fromContract.code).toBe(1);
    expect(fromContract.stdout).toContain('clinical: BREAKING');
    expect(fromContract.stdout).toContain('[Observation.oldValue]');
  }, 120_000);

  it('publishes the current schema and contracts, which then match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-devex-publish-'));
    const publish = await runCli(['schema', 'publish', '--dir', dir]);
    expect(publish.code).toBe(0);
    expect(publish.stdout).toContain(join(dir, 'supergraph.graphql'));
    const { code, stdout } = await runCli(['schema', 'check', '--dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain(`the schema and ${CONTRACT_NAMES.length} contracts match`);
  }, 120_000);

  it('passes when the breaking change is declared with a reason', async () => {
    const dir = publishedWithExtraField('supergraph.graphql', 'type Patient implements Person {', 'oldField');
    writeFileSync(join(dir, 'declared-breaking-changes.yaml'), '- { schema: supergraph, path: Patient.oldField, reason: "never used by any client" }\n');
    const { code, stdout } = await runCli(['schema', 'check', '--dir', dir]);
    expect(stdout).toContain('BREAKING (declared)');
    expect(code).toBe(0);
  }, 120_000);

  it('fails (exit 1) while the generated contract types are stale, until `schema codegen` rewrites them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-devex-codegen-'));
    cpSync(join(REPO, 'examples'), join(root, 'examples'), { recursive: true });
    cpSync(join(REPO, 'contracts', 'generated'), join(root, 'contracts', 'generated'), { recursive: true });
    cpSync(join(REPO, 'gateway', 'fhir', 'generated'), join(root, 'gateway', 'fhir', 'generated'), { recursive: true });
    const committed = await runCli(['schema', 'check', '--dir', PUBLISHED, '--root', root]);
    expect(committed.stderr).not.toContain('stale');
    expect(committed.code).toBe(0);

    const clinical = join(root, 'contracts', 'generated', 'clinicalContract.ts');
    writeFileSync(clinical, readFileSync(clinical, 'utf8').replace('readonly onsetAsRecorded: Maybe<', 'readonly onsetAsWritten: Maybe<'));
    const stale = await runCli(['schema', 'check', '--dir', PUBLISHED, '--root', root]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('contracts/generated/clinicalContract.ts: stale generated types (npm run codegen');

    const codegen = await runCli(['schema', 'codegen', '--root', root]);
    expect(codegen.code).toBe(0);
    expect(codegen.stdout).toContain('wrote contracts/generated/clinicalContract.ts');
    expect((await runCli(['schema', 'check', '--dir', PUBLISHED, '--root', root])).code).toBe(0);
  }, 120_000);
});
