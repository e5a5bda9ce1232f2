/**
 * Keys under which the gateway's access rules send a patient's consent along with the federation
 * `_entities` representation, inside the signed request, so each source filters what only it can
 * recognize: hospitals drop records of withheld categories (they hold every code and encounter
 * link); the insurance subgraph drops VSS visits at withheld facilities.
 */
export const WITHHELD_CATEGORIES_KEY = '_pgWithheldCategories';
export const WITHHELD_FACILITIES_KEY = '_pgWithheldFacilities';
