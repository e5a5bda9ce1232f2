/** A short-lived break-the-glass grant: one clinician, one patient, a stated reason (docs/architecture.md §6). */
export interface BreakTheGlassGrant {
  readonly sub: string;
  readonly nationalId: string;
  readonly reason: string;
  readonly grantedAt: string;
  readonly expiresAt: string;
}

/** Where active break-the-glass grants live (embedded, or Redis shared by replicas). */
export interface GrantStore {
  create(grant: BreakTheGlassGrant): Promise<void>;
  /** The patients among `nationalIds` that `sub` holds an unexpired grant for. */
  activeFor(sub: string, nationalIds: readonly string[]): Promise<ReadonlySet<string>>;
  close?(): Promise<void>;
}
