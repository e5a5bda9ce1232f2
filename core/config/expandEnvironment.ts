import { recordConfigProblem } from './collectConfigProblems';
import { ConfigError } from './ConfigError';

/**
 * Replaces `${NAME}` in every string of a parsed configuration with the environment variable
 * NAME, so secrets and connection strings stay out of config files. An unset variable is an
 * error naming the key (a silent empty secret would be worse). `$${` escapes a literal `${`.
 */
export function expandEnvironment(value: unknown, env: NodeJS.ProcessEnv, file?: string, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const resolved = env[name];
      if (resolved === undefined) {
        const problem = new ConfigError(path || '(root)', `refers to the environment variable ${name}, which is not set`, file);
        if (recordConfigProblem(problem)) return '';
        throw problem;
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => expandEnvironment(item, env, file, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandEnvironment(item, env, file, path ? `${path}.${key}` : key)]));
  }
  return value;
}
