import { ConfigError } from '../core/config/ConfigError';
import { loadYamlConfig } from '../core/config/loadYamlConfig';
import type { CliIo } from './CliCommand';

/**
 * Loads and validates a command's config file; a ConfigError is printed as one clear line naming
 * the key (no stack trace) and yields `undefined`, so the command exits 1.
 */
export function loadConfigOrReport<T>(command: string, path: string, validate: (raw: unknown, file: string) => T, io: CliIo): T | undefined {
  try {
    return loadYamlConfig(path, validate);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`patient-graph ${command}: invalid config: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}
