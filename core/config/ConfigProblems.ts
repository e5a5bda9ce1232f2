import { ConfigError } from './ConfigError';

/**
 * Several configuration problems found in one pass, so a user fixes them all before the next try
 * instead of one per attempt. Each problem keeps its key; the message lists one per line.
 */
export class ConfigProblems extends ConfigError {
  constructor(readonly problems: readonly ConfigError[]) {
    super(problems[0]?.key ?? '(root)', problems[0]?.expectation ?? 'invalid', problems[0]?.file);
    this.message = problems.map((p) => p.message).join('\n');
  }
}
