import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { commandLineOptions, UsageError, type CliCommand } from '../CliCommand';
import { SCAFFOLD_KINDS, scaffoldSource, type ScaffoldKind } from '../scaffold/scaffoldSource';

/**
 * `patient-graph adapter init <dir> --kind sql-his|fhir-r4|xml130|custom --code <MA_CSKCB>`: a new
 * source in a new folder — config (or adapter skeleton), a fresh signing secret (0600), the
 * conformance check script and a README (docs/registry.md).
 */
export const adapterInitCommand: CliCommand = {
  path: ['adapter', 'init'],
  summary: 'scaffold a new hospital source (config or adapter skeleton, secret, conformance check)',
  define(command) {
    command
      .argument('<dir>', 'the new, empty folder of the source')
      .requiredOption('--kind <kind>', `what the hospital runs: ${SCAFFOLD_KINDS.join(', ')}`)
      .requiredOption('--code <MA_CSKCB>', "the facility's 5-digit code")
      .option('--name <facility name>', 'the facility name (default: Facility <code>)')
      .option('--port <port>', 'where the source will listen', '4100');
  },
  async run(input, io) {
    const flags = commandLineOptions(input);
    const positional = input.args;
    const [target, ...extra] = positional;
    if (!target || extra.length > 0) throw new UsageError('exactly one folder is required');
    const kind = flags.get('kind');
    if (typeof kind !== 'string' || !(SCAFFOLD_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${SCAFFOLD_KINDS.join(', ')}`);
    const code = flags.get('code');
    if (typeof code !== 'string') throw new UsageError('--code <MA_CSKCB> is required');
    const format = parseFacilityCode(code);
    if (format.kind === 'invalid') throw new UsageError(`--code: ${format.reason}`);
    const port = Number(typeof flags.get('port') === 'string' ? flags.get('port') : 4100);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0 to 65535');
    const dir = resolve(target);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      io.err(`patient-graph adapter init: ${dir} is not empty; nothing was written`);
      return 1;
    }
    const name = typeof flags.get('name') === 'string' ? String(flags.get('name')) : `Facility ${code}`;
    const sdk = relative(dir, join(__dirname, '..', '..', 'adapters', 'sdk')).split('\\').join('/');
    const files = scaffoldSource({ kind: kind as ScaffoldKind, dir, code, name, port, sdkImportPath: sdk.startsWith('.') ? sdk : `./${sdk}` });
    for (const file of files) {
      const path = join(dir, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
    }
    // sql-his starts from the built-in example mapping (copied next to compiled code by the build).
    if (kind === 'sql-his') copyFileSync(join(__dirname, '..', '..', 'demo', 'his', 'modernHis.mapping.yaml'), join(dir, 'mapping.yaml'));
    writeFileSync(join(dir, 'signing-secret'), `${generateSigningSecret()}\n`, { mode: 0o600 });
    chmodSync(join(dir, 'signing-secret'), 0o600);
    writeFileSync(join(dir, '.gitignore'), 'signing-secret\nconformance-report.json\n');
    io.out(`${kind} source for ${code} scaffolded in ${dir}: ${[...files.map((f) => f.path), ...(kind === 'sql-his' ? ['mapping.yaml'] : []), 'signing-secret'].join(', ')}`);
    io.out(`next: read ${join(dir, 'README.md')}`);
    return 0;
  },
};
