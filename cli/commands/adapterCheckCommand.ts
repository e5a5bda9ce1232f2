import { readFileSync, writeFileSync } from 'node:fs';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { parseNationalId } from '../../core/identifiers/nationalId';
import { MIN_SECRET_BYTES } from '../../core/security/requestSignature';
import { isContractName } from '../../contracts/contractNames';
import { commandLineOptions, UsageError, type CliCommand } from '../CliCommand';

/**
 * `patient-graph adapter check <url> --contract clinical --code <MA_CSKCB> --secret-file <f>`: runs
 * the conformance kit against a running source, as the gateway would call it (docs/registry.md).
 * One line per check; exit 1 when any fails; `--report` writes the results as JSON.
 */
export const adapterCheckCommand: CliCommand = {
  path: ['adapter', 'check'],
  summary: 'run the conformance kit against a running source (exit 1 on any failure)',
  define(command) {
    command
      .argument('<url>', 'the running source, e.g. http://127.0.0.1:4100/')
      .option('--contract <name>', 'the contract it claims', 'clinical')
      .requiredOption('--code <MA_CSKCB>', 'the facility the source signs for')
      .requiredOption('--secret-file <file>', 'the signing secret (never passed on the command line)')
      .option('--patients <id,id>', 'national IDs the source holds, for entity resolution')
      .option('--deadline-ms <ms>', 'the deadline the gateway will give it', '5000')
      .option('--report <file.json>', 'write the results as JSON');
  },
  async run(input, io) {
    const flags = commandLineOptions(input);
    const positional = input.args;
    const [url, ...extra] = positional;
    if (!url || extra.length > 0) throw new UsageError('exactly one source URL is required');
    if (!/^https?:\/\//.test(url)) throw new UsageError(`${url} is not an http(s):// URL`);
    const contract = stringFlag(flags, 'contract') ?? 'clinical';
    if (!isContractName(contract)) throw new UsageError(`unknown contract ${contract}`);
    const code = stringFlag(flags, 'code');
    if (!code) throw new UsageError('--code <MA_CSKCB> is required (the facility the source signs for)');
    const format = parseFacilityCode(code);
    if (format.kind === 'invalid') throw new UsageError(`--code: ${format.reason}`);
    const secretFile = stringFlag(flags, 'secret-file');
    if (!secretFile) throw new UsageError('--secret-file <file> is required (the secret is never passed on the command line)');
    const secret = readFileSync(secretFile, 'utf8').trim();
    if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) throw new UsageError(`the secret in ${secretFile} is shorter than ${MIN_SECRET_BYTES} bytes`);
    const testPatients = (stringFlag(flags, 'patients') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    for (const id of testPatients) {
      if (parseNationalId(id).kind === 'invalid') throw new UsageError('--patients: every entry must be a 12-digit national ID');
    }
    const deadlineMs = Number(stringFlag(flags, 'deadline-ms') ?? 5000);
    if (!Number.isInteger(deadlineMs) || deadlineMs < 100 || deadlineMs > 60_000) throw new UsageError('--deadline-ms must be 100 to 60000');

    // Loaded here: the kit brings composition and schema diffing, which other commands do not need (CLI start-up).
    const { runConformanceKit } = await import('../../gateway/conformance/runConformanceKit');
    const checks = await runConformanceKit({ url, contract, code, secret, deadlineMs, testPatients });
    for (const check of checks) io.out(`${check.passed ? 'pass' : 'FAIL'}  ${check.check.padEnd(30)} ${check.detail.split('\n').join('\n      ')}`);
    const failures = checks.filter((c) => !c.passed).length;
    io.out(failures === 0 ? `conforms: ${checks.length} checks passed` : `does not conform: ${failures} of ${checks.length} checks failed`);
    const report = stringFlag(flags, 'report');
    if (report) writeFileSync(report, `${JSON.stringify({ url, contract, code, conforms: failures === 0, checks }, null, 2)}\n`);
    return failures === 0 ? 0 : 1;
  },
};

function stringFlag(flags: ReadonlyMap<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
