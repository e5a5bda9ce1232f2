import { auditExportCommand } from './commands/auditExportCommand';
import { auditVerifyCommand } from './commands/auditVerifyCommand';
import { auditAcknowledgeGapCommand } from './commands/auditAcknowledgeGapCommand';
import { demoCommand } from './commands/demoCommand';
import { supergraphPrintCommand } from './commands/supergraphPrintCommand';
import { xml130InspectCommand } from './commands/xml130InspectCommand';
import { tokenCommand } from './commands/tokenCommand';
import { gatewayCommand } from './commands/gatewayCommand';
import { identityServeCommand } from './commands/identityServeCommand';
import { identityMatchCommand } from './commands/identityMatchCommand';
import { identityLoadCommand } from './commands/identityLoadCommand';
import { insuranceServeCommand } from './commands/insuranceServeCommand';
import { demoVssCommand } from './commands/demoVssCommand';
import { sourceServeCommand } from './commands/sourceServeCommand';
import { adapterCheckCommand } from './commands/adapterCheckCommand';
import { adapterInitCommand } from './commands/adapterInitCommand';
import { UsageError, type CliCommand, type CliIo } from './CliCommand';

/** Every `patient-graph` command; the first whose path prefixes the arguments runs. */
const COMMANDS: readonly CliCommand[] = [demoVssCommand, demoCommand, supergraphPrintCommand, tokenCommand, auditVerifyCommand, auditExportCommand, auditAcknowledgeGapCommand, xml130InspectCommand, sourceServeCommand, gatewayCommand, identityServeCommand, insuranceServeCommand, adapterCheckCommand, identityMatchCommand, identityLoadCommand, adapterInitCommand];

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

export async function execute(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.path.every((word, i) => argv[i] === word));
  if (!command) {
    io.err(`patient-graph: unknown command "${argv.join(' ')}"\n\n${helpText()}`);
    return 2;
  }
  try {
    return await command.run(argv.slice(command.path.length), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`patient-graph ${command.path.join(' ')}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    throw error;
  }
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return ['usage: patient-graph <command> [options]', '', 'commands:', ...lines].join('\n');
}

if (require.main === module) runCli(process.argv.slice(2));
