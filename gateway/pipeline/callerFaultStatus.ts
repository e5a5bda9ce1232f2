import type { FormattedExecutionResult } from 'graphql';
import { ERROR_CODES, isErrorCode } from '../../core/errors/errorCodes';

/** Codes that say the caller's arguments were wrong, wherever they were found (gateway or source). */
const CALLER_FAULTS = new Set<string>(['BAD_USER_INPUT', 'INVALID_IDENTIFIER']);

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
