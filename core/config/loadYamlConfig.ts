import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { collectConfigProblems } from './collectConfigProblems';
import { ConfigError } from './ConfigError';
import { expandEnvironment } from './expandEnvironment';

/**
 * Reads a YAML (or JSON) config file, expands `${ENV}` references and hands it to a validator.
 * Unreadable files and YAML syntax errors become ConfigErrors naming the file; every problem the
 * validator finds is reported at once (ConfigProblems when there are several).
 */
export function loadYamlConfig<T>(path: string, validate: (raw: unknown, file: string) => T, env: NodeJS.ProcessEnv = process.env): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('(file)', `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`, path);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError('(file)', `is not valid YAML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'parse error'}`, path);
  }
  return collectConfigProblems(() => {
    const expanded = expandEnvironment(raw, env, path);
    return validate(expanded, path);
  });
}
