/** What the record locator needs to ask the national visit history about a person. */
export interface LocatorQuery {
  readonly nationalId: string;
  readonly insuranceNumber: string | null;
  readonly fullName: string;
  readonly birthDate: string | null;
}

/**
 * Facilities where a person was treated, from outside the index — in the demo and in production,
 * the VSS visit history (KQNhanLichSuKCB2024 `dsLichSuKCB2018[].maCSKCB`).
 */
export interface VisitHistoryLocator {
  facilityCodesOf(queries: readonly LocatorQuery[]): Promise<readonly (readonly string[] | Error)[]>;
}
