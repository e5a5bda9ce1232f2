import { ConfigError } from './ConfigError';
import { ConfigProblems } from './ConfigProblems';

/** The problems of the validation running now (validation is synchronous, so one slot is enough). */
let active: ConfigError[] | undefined;

/**
 * Runs a config validator so that it reports every problem, not only the first: while it runs,
 * ConfigReader records a failed check, hands back a stand-in value and goes on. A problem under a
 * key that already failed (its children, or a later check of the same value) is dropped, so one
 * mistake is reported once. Throws the single ConfigError, or ConfigProblems when there are several.
 */
export function collectConfigProblems<T>(validate: () => T): T {
  const outer = active;
  const problems: ConfigError[] = [];
  active = problems;
  try {
    let result: T;
    try {
      result = validate();
    } catch (error) {
      if (error instanceof ConfigError) {
        const own = error instanceof ConfigProblems ? error.problems : [error];
        for (const problem of own) record(problems, problem);
      } else if (problems.length === 0) {
        throw error;
      }
      // Otherwise a stand-in value tripped later code: the recorded problems are the cause.
      throw combined(problems);
    }
    if (problems.length > 0) throw combined(problems);
    return result;
  } finally {
    active = outer;
  }
}

/**
 * Records a problem if a collecting validation is running; false means none is, and the caller
 * throws as usual (a validator called directly still stops at the first problem).
 */
export function recordConfigProblem(problem: ConfigError): boolean {
  if (!active) return false;
  record(active, problem);
  return true;
}

function record(problems: ConfigError[], problem: ConfigError): void {
  const covered = problems.some((p) => p.file === problem.file && (problem.key === p.key || problem.key.startsWith(`${p.key}.`) || problem.key.startsWith(`${p.key}[`)));
  if (!covered) problems.push(problem);
}

function combined(problems: readonly ConfigError[]): ConfigError {
  return problems.length === 1 && problems[0] ? problems[0] : new ConfigProblems(problems);
}
