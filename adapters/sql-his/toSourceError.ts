import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { StatementDeadlineError } from './StatementDeadlineError';

/**
 * A database failure → the coded error the clinical subgraph reports (docs/style.md §4: adapters throw
 * coded errors). SOURCE_TIMEOUT when the statement ran out of time (server-side timeout, or a client
 * deadline); SOURCE_UNAVAILABLE otherwise, saying whether the database could not be reached or
 * refused a statement. Messages hold no SQL, no values and no URL (driver messages quote values and
 * hosts): only the kind of failure and the driver's error code. The original stays as `cause`.
 */
export function toSourceError(error: unknown, context: { readonly facilityCode: string; readonly statementTimeoutMs: number }): PatientGraphError {
  if (error instanceof PatientGraphError) return error;
  const details = { facilityCode: context.facilityCode };
  const code = errorCodeOf(error);
  if (isTimeout(error, code)) {
    return new PatientGraphError('SOURCE_TIMEOUT', `the HIS database did not answer within ${context.statementTimeoutMs} ms`, details, { cause: error });
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return new PatientGraphError('SOURCE_UNAVAILABLE', `the HIS database cannot be reached (${code})`, details, { cause: error });
  }
  if (isConnectTimeout(error)) {
    return new PatientGraphError('SOURCE_UNAVAILABLE', 'the HIS database cannot be reached (connect timeout)', details, { cause: error });
  }
  const suffix = code === undefined ? '' : ` (${code})`;
  return new PatientGraphError('SOURCE_UNAVAILABLE', `the HIS database failed to answer a query${suffix}`, details, { cause: error });
}

/**
 * PostgreSQL SQLSTATE 57014 (query_canceled: statement_timeout); MariaDB errno 1969
 * (max_statement_time exceeded); MySQL errno 3024 (max_execution_time exceeded).
 */
function isTimeout(error: unknown, code: string | undefined): boolean {
  if (error instanceof StatementDeadlineError) return true;
  if (code === '57014' || code === 'PROTOCOL_SEQUENCE_TIMEOUT') return true;
  const errno = numericField(error, 'errno');
  if (errno === 1969 || errno === 3024) return true;
  // pg's client-side `query_timeout`.
  return error instanceof Error && error.message === 'Query read timeout';
}

/** pg's pool gives up connecting with this message (no code). */
function isConnectTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(error.message);
}

/**
 * Codes that mean "not reachable / not usable" rather than "a statement failed": network errors,
 * wrong credentials or database (PostgreSQL 28xxx/3D000/57P0x, MySQL ER_ACCESS_DENIED_ERROR,
 * ER_BAD_DB_ERROR), the server shutting down.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  '28000', '28P01', '3D000', '57P01', '57P02', '57P03', '53300',
  'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_CON_COUNT_ERROR', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN',
]);

/** A driver's error code when it is a plain code (never a message fragment). */
function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

function numericField(error: unknown, field: string): number | undefined {
  if (typeof error !== 'object' || error === null || !(field in error)) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : undefined;
}
