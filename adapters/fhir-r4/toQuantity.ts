import type { Quantity as FhirQuantity } from '@medplum/fhirtypes';
import { CODE_SYSTEMS, type Quantity } from '../../contracts/model/clinical';

/**
 * A FHIR Quantity (datatypes.html#Quantity) as the contract's: `unit` is the human-readable unit,
 * else the coded one; `code` is kept only when it is a UCUM code (`Quantity.system` UCUM), which
 * is what the contract promises. Null when there is neither a number nor a unit.
 */
export function toQuantity(quantity: FhirQuantity | undefined): Quantity | null {
  if (quantity === null || typeof quantity !== 'object') return null;
  const value = typeof quantity.value === 'number' && Number.isFinite(quantity.value) ? quantity.value : null;
  const code = typeof quantity.code === 'string' && quantity.code !== '' ? quantity.code : null;
  const unit = typeof quantity.unit === 'string' && quantity.unit !== '' ? quantity.unit : code;
  if (value === null && unit === null) return null;
  return { value, unit, code: quantity.system === CODE_SYSTEMS.UCUM ? code : null };
}
