import { ConfigError } from './ConfigError';
import { ConfigProblems } from './ConfigProblems';
import { recordConfigProblem } from './collectConfigProblems';

type Parts = Record<string, () => unknown>;
type PartValues<T extends Parts> = { [K in keyof T]: ReturnType<T[K]> };

/**
 * Checks the independent parts of a config (its sections) one after another. A missing or wrongly
 * shaped section throws (ConfigReader `fail(…, 'always')`), which would hide every problem of the
 * sections after it; under collectConfigProblems such a failure ends only its own part, the other
 * parts are still checked, and the first failure is thrown once all ran (collectConfigProblems then
 * reports every recorded problem). Outside a collection the first failure is thrown at once.
 */
export function checkConfigParts<T extends Parts>(parts: T): PartValues<T> {
  const values: Partial<Record<keyof T, unknown>> = {};
  let failure: ConfigError | undefined;
  for (const key of Object.keys(parts) as (keyof T)[]) {
    const part = parts[key];
    if (!part) continue;
    try {
      values[key] = part();
    } catch (error) {
      if (!recorded(error)) throw error;
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return values as PartValues<T>;
}

/** As checkConfigParts, for the items of a list (`hospitals[0]`, `hospitals[1]`, …). */
export function checkConfigItems<T, R>(items: readonly T[], check: (item: T, index: number) => R): R[] {
  const values: R[] = [];
  let failure: ConfigError | undefined;
  items.forEach((item, index) => {
    try {
      values.push(check(item, index));
    } catch (error) {
      if (!recorded(error)) throw error;
      failure ??= error;
    }
  });
  if (failure) throw failure;
  return values;
}

/** Records a ConfigError's problems while problems are collected; false: rethrow it as it is. */
function recorded(error: unknown): error is ConfigError {
  if (!(error instanceof ConfigError)) return false;
  const problems = error instanceof ConfigProblems ? error.problems : [error];
  return problems.every((problem) => recordConfigProblem(problem));
}
