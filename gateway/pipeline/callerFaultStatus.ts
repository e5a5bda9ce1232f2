import type { FormattedExecutionResult } from 'graphql';
import { ERROR_CODES, isErrorCode } from '../../core/errors/errorCodes';

/**
 * Codes that say the caller's arguments were wrong, wherever they were found (gateway or source);
 * the registry's refusals too (a registration that failed its checks, an unknown facility code), so
 * an admin's mistake is the 4xx core/errors/errorCodes.ts gives it (README "When something goes wrong").
 */
const CALLER_FAULTS = new Set<string>(['BAD_USER_INPUT', 'INVALID_IDENTIFIER', 'REGISTRATION_REFUSED', 'SOURCE_UNKNOWN']);

/**
 * The HTTP status of an executed operation whose errors include a caller's mistake found by a
 * source (a patient-index cursor the index never issued, say): the registry's 4xx instead of 200,
 * so a client that reads only the status does not take the answer for a good one. Other answers
 * keep the status they have. Returns undefined to keep it.
 */
export function callerFaultStatus(result: FormattedExecutionResult, current: number | undefined): number | undefined {
  if (current !== undefined && current !== 200) return undefined;
  const codes = (result.errors ?? []).map((e) => e.extensions?.code).filter((code): code is string => typeof code === 'string' && CALLER_FAULTS.has(code));
  const [first] = codes;
  return first !== undefined && isErrorCode(first) ? ERROR_CODES[first].status : undefined;
}
