import type { Principal } from '../../core/security/Principal';

/**
 * Where the care-relationship step learns the record locator (`facilityCodes`) of the patients an
 * operation names, before it is planned. Persons the index does not know are absent from the map.
 */
export interface RecordLocatorLookup {
  /** Code of the source asked (for the audit record's `sources`). */
  readonly sourceCode: string;
  facilityCodesOf(nationalIds: readonly string[], principal: Principal): Promise<ReadonlyMap<string, readonly string[]>>;
}
