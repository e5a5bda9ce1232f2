import { ConfigError } from '../core/config/ConfigError';
import { ConfigProblems } from '../core/config/ConfigProblems';
import { loadYamlConfig } from '../core/config/loadYamlConfig';
import type { CliIo } from './CliCommand';

/**
 * Loads and validates a command's config file. Every problem is printed, one line each naming the
 * file and key (no stack trace), and the result is `undefined`, so the command exits 1.
 */
export function loadConfigOrReport<T>(command: string, path: string, validate: (raw: unknown, file: string) => T, io: CliIo): T | undefined {
  try {
    return loadYamlConfig(path, validate);
  } catch (error) {
    if (error instanceof ConfigProblems) {
      io.err([`patient-graph ${command}: invalid config, ${error.problems.length} problems:`, ...error.problems.map((p) => `  ${p.message}`)].join('\n'));
      return undefined;
    }
    if (error instanceof ConfigError) {
      io.err(`patient-graph ${command}: invalid config: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}
