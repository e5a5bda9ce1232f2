import { UsageError } from './CliCommand';

export interface ParsedOptions {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positional: readonly string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` (for names listed in `booleans`).
 * Unknown options are a usage error, so a typo never silently changes behaviour.
 */
export function parseOptions(args: readonly string[], known: { values: readonly string[]; booleans?: readonly string[] }): ParsedOptions {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (known.booleans?.includes(name)) {
      flags.set(name, true);
    } else if (known.values.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, positional };
}
