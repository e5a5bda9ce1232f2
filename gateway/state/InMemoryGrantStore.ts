import type { BreakTheGlassGrant, GrantStore } from './GrantStore';

/** The embedded grant store: grants expire by time; expired ones are pruned as they are met. */
export class InMemoryGrantStore implements GrantStore {
  private readonly grants = new Map<string, BreakTheGlassGrant>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(grant: BreakTheGlassGrant): Promise<void> {
    this.grants.set(keyOf(grant.sub, grant.nationalId), grant);
  }

  async activeFor(sub: string, nationalIds: readonly string[]): Promise<ReadonlySet<string>> {
    const active = new Set<string>();
    for (const nationalId of nationalIds) {
      const key = keyOf(sub, nationalId);
      const grant = this.grants.get(key);
      if (!grant) continue;
      if (Date.parse(grant.expiresAt) > this.now()) active.add(nationalId);
      else this.grants.delete(key);
    }
    return active;
  }
}

function keyOf(sub: string, nationalId: string): string {
  return `${sub}\u0000${nationalId}`;
}
