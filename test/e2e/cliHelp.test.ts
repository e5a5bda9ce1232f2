import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AUDIT_FILE } from '../../gateway/audit/FileAuditLog';
import { DEFAULT_REDIS_AUDIT_PREFIX } from '../../gateway/audit/RedisAuditLog';
import { runCli } from '../helpers/runCli';

/** Every command and group of sub-commands, as a user types them. */
const COMMANDS = [
  ['demo'],
  ['demo', 'vss'],
  ['token'],
  ['gateway'],
  ['source'],
  ['source', 'serve'],
  ['identity'],
  ['identity', 'serve'],
  ['insurance'],
  ['insurance', 'serve'],
  ['xml130'],
  ['xml130', 'inspect'],
  ['audit'],
  ['audit', 'verify'],
  ['audit', 'export'],
  ['supergraph'],
  ['supergraph', 'print'],
  ['schema'],
  ['schema', 'check'],
  ['schema', 'publish'],
] as const;

const version = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('patient-graph --help and --version', () => {
  it('lists every command with --help, -h and `help` (exit 0)', async () => {
    for (const flag of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await runCli(flag);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: patient-graph [options] [command]');
      for (const name of ['demo', 'token', 'gateway', 'source', 'identity', 'insurance', 'xml130', 'audit', 'supergraph', 'schema']) expect(stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
      expect(stdout).toContain('Exit codes:');
    }
  }, 120_000);

  it('prints the package version with --version and -V (exit 0)', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await runCli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(version);
    }
  }, 60_000);

  it.each(COMMANDS.map((path) => [path.join(' '), path] as const))('answers `patient-graph %s --help` with its usage and options (exit 0)', async (_name, path) => {
    const { code, stdout, stderr } = await runCli([...path, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: patient-graph ${path.join(' ')}`);
    expect(stdout).toContain('-h, --help');
  }, 60_000);

  it('answers `patient-graph help audit` like `patient-graph audit --help`', async () => {
    const viaCommand = await runCli(['help', 'audit']);
    const viaFlag = await runCli(['audit', '--help']);
    expect(viaCommand.code).toBe(0);
    expect(viaCommand.stdout).toBe(viaFlag.stdout);
    expect(viaCommand.stdout).toMatch(/verify\s/);
    expect(viaCommand.stdout).toMatch(/export\s/);
  }, 60_000);

  it('names the audit log defaults the gateway really uses', async () => {
    const { stdout } = await runCli(['audit', 'verify', '--help']);
    expect(stdout).toContain(DEFAULT_AUDIT_FILE);
    expect(stdout).toContain(DEFAULT_REDIS_AUDIT_PREFIX);
  }, 60_000);
});

describe('patient-graph exit codes', () => {
  it('exits 2 with a pointer to --help on an unknown option, an unknown command, a missing argument or a missing required option', async () => {
    const cases: [string[], RegExp][] = [
      [['supergraph', 'print', '--nope'], /unknown option '--nope'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['xml130', 'inspect'], /missing required argument 'file-or-folder'/],
      [['gateway'], /required option '--config <file>' not specified/],
      [['token', '--role', 'emperor'], /argument 'emperor' is invalid\. Allowed choices are clinician/],
      [['demo', '--port', 'eighty'], /--port must be a number from 0 to 65535/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/--help/);
      expect(stdout).toBe('');
    }
  }, 120_000);

  it('exits 2 and prints the list of commands when none is given', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: patient-graph [options] [command]');
  }, 60_000);
});

describe('config problems', () => {
  it('are all reported at once, each with its key (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-devex-config-'));
    const path = join(dir, 'hospital.yaml');
    // Four independent mistakes: facility code, unknown key, short secret, bad port.
    writeFileSync(
      path,
      [
        'facility: { code: "1001", name: Bệnh viện X }',
        'adapter: { kind: xml130, folder: /tmp }',
        'signing: { secret: short }',
        'server: { port: "eighty" }',
        'sever: {}',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runCli(['source', 'serve', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid config, 4 problems:');
    expect(stderr).toMatch(/facility\.code: expected a 5-digit facility code/);
    expect(stderr).toMatch(/signing\.secret: expected at least 32 bytes/);
    expect(stderr).toMatch(/server\.port: expected a whole number/);
    expect(stderr).toMatch(/sever: unknown key/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
