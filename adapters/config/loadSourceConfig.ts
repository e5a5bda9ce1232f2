import { loadYamlConfig } from '../../core/config/loadYamlConfig';
import { parseSourceConfig } from './parseSourceConfig';
import type { SourceConfig } from './SourceConfig';

/** Reads, expands (`${ENV}`) and validates a hospital source config file (YAML or JSON). */
export function loadSourceConfig(path: string, env: NodeJS.ProcessEnv = process.env): SourceConfig {
  return loadYamlConfig(path, parseSourceConfig, env);
}
