import { invalid, valid, type IdentifierCheck } from './IdentifierProblem';
import { isProvinceCode } from './provinces';

/** Health-facility code MA_CSKCB: 5 characters, the first two the province (docs/standards.md §5.2). */
export function parseFacilityCode(input: string): IdentifierCheck<string> {
  if (!/^\d{5}$/.test(input)) {
    return invalid('a facility code (MA_CSKCB) has exactly 5 digits');
  }
  if (!isProvinceCode(input.slice(0, 2))) {
    return invalid('a facility code (MA_CSKCB) starts with a 2-digit province code');
  }
  return valid(input);
}
