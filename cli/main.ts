import { Command, CommanderError } from 'commander';
import { adapterCheckCommand } from './commands/adapterCheckCommand';
import { adapterInitCommand } from './commands/adapterInitCommand';
import { auditAcknowledgeGapCommand } from './commands/auditAcknowledgeGapCommand';
import { auditExportCommand } from './commands/auditExportCommand';
import { auditVerifyCommand } from './commands/auditVerifyCommand';
import { demoCommand } from './commands/demoCommand';
import { demoVssCommand } from './commands/demoVssCommand';
import { gatewayCommand } from './commands/gatewayCommand';
import { identityLoadCommand } from './commands/identityLoadCommand';
import { identitySyncCommand } from './commands/identitySyncCommand';
import { identityMatchCommand } from './commands/identityMatchCommand';
import { identityServeCommand } from './commands/identityServeCommand';
import { insuranceServeCommand } from './commands/insuranceServeCommand';
import { sourceServeCommand } from './commands/sourceServeCommand';
import { schemaCheckCommand } from './commands/schemaCheckCommand';
import { schemaCodegenCommand } from './commands/schemaCodegenCommand';
import { schemaPublishCommand } from './commands/schemaPublishCommand';
import { supergraphPrintCommand } from './commands/supergraphPrintCommand';
import { tokenCommand } from './commands/tokenCommand';
import { xml130InspectCommand } from './commands/xml130InspectCommand';
import { UsageError, type CliCommand, type CliIo } from './CliCommand';
import { EXIT_CODES, EXIT_CODES_HELP } from './exitCodes';
import { packageVersion } from './packageVersion';

/** Every `patient-graph` command, in the order `--help` lists them. */
const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  demoVssCommand,
  tokenCommand,
  gatewayCommand,
  sourceServeCommand,
  identityServeCommand,
  identityMatchCommand,
  identityLoadCommand,
  identitySyncCommand,
  insuranceServeCommand,
  adapterInitCommand,
  adapterCheckCommand,
  xml130InspectCommand,
  auditVerifyCommand,
  auditExportCommand,
  auditAcknowledgeGapCommand,
  supergraphPrintCommand,
  schemaCheckCommand,
  schemaPublishCommand,
  schemaCodegenCommand,
];

/** Groups of sub-commands (`audit verify`, `audit export`, …) and what they are about. */
const GROUPS: Readonly<Record<string, string>> = {
  adapter: 'connect a hospital system: scaffold a source, check it conforms',
  audit: 'check and export the audit trail, acknowledge lost records',
  identity: 'the identity subgraph and the patient index (serve, load, match)',
  insurance: 'the insurance subgraph',
  schema: 'the published schema and contracts (schema/)',
  source: 'hospital sources',
  supergraph: 'the composed schema',
  xml130: 'QĐ 130 XML claim files',
};

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Entry point of the `patient-graph` binary. */
export function runCli(argv: readonly string[]): void {
  execute(argv, processIo).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      processIo.err(`patient-graph: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

/**
 * Parses and runs one invocation; resolves to the exit code (docs: cli/exitCodes.ts): 0 done,
 * 1 failed (bad config, broken audit chain, a run-time error), 2 wrong invocation.
 */
export async function execute(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // --help and --version end with exit code 0; every other commander error is a wrong invocation.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    throw error;
  }
  return exitCode;
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('patient-graph')
    .description('Federated health-data gateway: one GraphQL patient graph over hospital EMRs, HIS databases, QĐ 130 claim files and VSS.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print help and exit')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);

  const byName = new Map<string, Command>();
  const commandAt = (path: readonly string[], summary: string): Command => {
    const key = path.join(' ');
    const existing = byName.get(key);
    if (existing) return existing;
    const parent = path.length === 1 ? program : commandAt(path.slice(0, -1), GROUPS[path[0] ?? ''] ?? '');
    const created = parent.command(path[path.length - 1] ?? '').description(summary);
    byName.set(key, created);
    return created;
  };

  for (const definition of COMMANDS) {
    const command = commandAt(definition.path, definition.summary).description(definition.summary);
    definition.define(command);
    command.addHelpText('after', `\n${EXIT_CODES_HELP}`);
    command.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      try {
        setExitCode(await definition.run({ options: self.opts(), args: self.processedArgs.filter((a): a is string => typeof a === 'string') }, io));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.err(usageErrorText(self, error.message));
        setExitCode(EXIT_CODES.usage);
      }
    });
  }
  for (const command of [program, ...byName.values()]) {
    command.configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(usageErrorText(command, text.replace(/^error: /, ''))) });
  }
  return program;
}

/** A wrong invocation: what is wrong, the command's usage line and where to read more. */
function usageErrorText(command: Command, problem: string): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  const name = names.join(' ');
  return `${name}: ${problem.trimEnd()}\nUsage: ${name} ${command.usage()}\n(run ${name} --help for details)\n`;
}

if (require.main === module) runCli(process.argv.slice(2));
