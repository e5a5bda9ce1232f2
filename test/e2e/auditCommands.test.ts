import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { RedisAuditLog } from '../../gateway/audit/RedisAuditLog';
import { runCli } from '../helpers/runCli';
import { TAMPERINGS, tamperAuditFile, tempDirectory, writeAuditFile } from '../integration/audit/auditFileFixtures';
import { PATIENT_B, sampleAuditEntries } from '../unit/gateway/audit/sampleAuditEntry';

type CliResult = Awaited<ReturnType<typeof runCli>>;

/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

describe('patient-graph audit verify', () => {
  let dir: { path: string; remove: () => Promise<void> };
  /** Each case's own file, run as separate processes at once (each CLI start costs seconds). */
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    dir = await tempDirectory();
    const cases: [string, string[]][] = [
      ['intact', ['--file', join(dir.path, 'intact.jsonl')]],
      ['missing', ['--file', join(dir.path, 'missing.jsonl')]],
      ['empty', ['--file', join(dir.path, 'empty.jsonl')]],
      ['both', ['--file', join(dir.path, 'intact.jsonl'), '--redis', 'redis://127.0.0.1:6379']],
      ...TAMPERINGS.map((t, i): [string, string[]] => [t.name, ['--file', join(dir.path, `tampered-${i}.jsonl`)]]),
    ];
    await writeAuditFile(join(dir.path, 'intact.jsonl'), 5);
    await writeFile(join(dir.path, 'empty.jsonl'), '');
    for (const [i, tampering] of TAMPERINGS.entries()) {
      const file = join(dir.path, `tampered-${i}.jsonl`);
      await writeAuditFile(file, 5);
      await tamperAuditFile(file, tampering.apply);
    }
    const outputs = await Promise.all(cases.map(([, options]) => runCli(['audit', 'verify', ...options])));
    cases.forEach(([name], i) => results.set(name, outputs[i]!));
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await dir.remove();
  });

  it('prints the record count and exits 0 on an intact file', () => {
    const { code, stdout } = results.get('intact')!;
    expect(stdout.trim()).toBe('audit chain intact: 5 records');
    expect(code).toBe(0);
  });

  it.each(TAMPERINGS)('exits 1 naming record #$brokenSeq on a file with $name', ({ name, brokenSeq }) => {
    const { code, stdout } = results.get(name)!;
    expect(stdout).toMatch(new RegExp(`^audit chain broken at record #${brokenSeq}: `));
    expect(code).toBe(1);
  });

  it('exits 1 saying so when there is no log at the path', () => {
    const { code, stderr } = results.get('missing')!;
    expect(stderr).toContain('no audit log at');
    expect(code).toBe(1);
  });

  it('exits 1 saying so when the log holds no records: an empty place is not a clean log', () => {
    const { code, stdout } = results.get('empty')!;
    expect(stdout).toContain('no audit records at the file');
    expect(code).toBe(1);
  });

  it('exits 2 with the usage when given both --file and --redis', () => {
    const { code, stderr } = results.get('both')!;
    expect(stderr).toContain('either --file or --redis');
    expect(stderr).toContain('Usage: patient-graph audit verify');
    expect(code).toBe(2);
  });
});

describe('patient-graph audit verify --redis', () => {
  const url = 'redis://127.0.0.1:6379';
  const prefix = `pg-test:audit:${randomUUID()}:`;
  const admin = new Redis(url, { lazyConnect: true });

  afterAll(async () => {
    await admin.del(`${prefix}stream`, `${prefix}head`);
    await admin.quit();
  });

  it('verifies the shared stream, and names a record deleted from it', async () => {
    const log = await RedisAuditLog.connect({ url, keyPrefix: prefix });
    for (const entry of sampleAuditEntries(4)) await log.append(entry);
    await log.close();

    const intact = await runCli(['audit', 'verify', '--redis', url, '--prefix', prefix]);
    expect(intact.stdout.trim()).toBe('audit chain intact: 4 records');
    expect(intact.code).toBe(0);

    await admin.xdel(`${prefix}stream`, '3-0');
    const broken = await runCli(['audit', 'verify', '--redis', url, '--prefix', prefix]);
    expect(broken.stdout).toMatch(/^audit chain broken at record #3: record #3 is missing/);
    expect(broken.code).toBe(1);
  }, CLI_TIMEOUT_MS);
});

describe('patient-graph audit export', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let all: CliResult;
  let onePatient: CliResult;
  let noFormat: CliResult;
  let badPatient: CliResult;

  beforeAll(async () => {
    dir = await tempDirectory();
    const file = join(dir.path, 'audit.jsonl');
    await writeAuditFile(file, 5);
    [all, onePatient, noFormat, badPatient] = await Promise.all([
      runCli(['audit', 'export', '--format', 'fhir', '--file', file]),
      runCli(['audit', 'export', '--format', 'fhir', '--file', file, '--patient', PATIENT_B]),
      runCli(['audit', 'export', '--file', file]),
      runCli(['audit', 'export', '--format', 'fhir', '--file', file, '--patient', '12345']),
    ]);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await dir.remove();
  });

  it('prints a FHIR collection Bundle with one AuditEvent per record', () => {
    expect(all.code).toBe(0);
    const bundle = JSON.parse(all.stdout) as Bundle<AuditEvent>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry?.map((e) => [e.resource?.resourceType, e.resource?.id])).toEqual([
      ['AuditEvent', '1'],
      ['AuditEvent', '2'],
      ['AuditEvent', '3'],
      ['AuditEvent', '4'],
      ['AuditEvent', '5'],
    ]);
  });

  it('keeps only the records that touched the patient given with --patient', () => {
    expect(onePatient.code).toBe(0);
    const bundle = JSON.parse(onePatient.stdout) as Bundle<AuditEvent>;
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual(['2', '4']);
    for (const { resource } of bundle.entry ?? []) {
      expect(resource?.entity).toContainEqual(expect.objectContaining({ what: { type: 'Patient', identifier: { system: 'urn:oid:vn:national-id', value: PATIENT_B } } }));
    }
  });

  it('exits 2 without --format fhir, and on a malformed --patient without echoing it', () => {
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain("required option '--format <format>' not specified");
    expect(badPatient.code).toBe(2);
    expect(badPatient.stderr).toContain('12 digits');
    expect(badPatient.stderr).not.toContain('12345');
  });
});
