import { StatementDeadlineError } from '../../../../adapters/sql-his/StatementDeadlineError';
import { toSourceError } from '../../../../adapters/sql-his/toSourceError';
import { PatientGraphError } from '../../../../core/errors/PatientGraphError';

const context = { facilityCode: '01901', statementTimeoutMs: 5_000 };

function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('toSourceError', () => {
  it.each<[string, unknown]>([
    ['a PostgreSQL statement_timeout (SQLSTATE 57014)', driverError('canceling statement due to statement timeout', { code: '57014' })],
    ['a MariaDB max_statement_time (errno 1969)', driverError('Query execution was interrupted (max_statement_time exceeded)', { code: 'ER_STATEMENT_TIMEOUT', errno: 1969 })],
    ['a MySQL max_execution_time (errno 3024)', driverError('Query execution was interrupted, maximum statement execution time exceeded', { errno: 3024 })],
    ['a client-side deadline (PGlite)', new StatementDeadlineError(5_000)],
    ["pg's query read timeout", new Error('Query read timeout')],
  ])('reports %s as SOURCE_TIMEOUT for the facility', (_case, error) => {
    const coded = toSourceError(error, context);
    expect(coded).toMatchObject({ code: 'SOURCE_TIMEOUT', details: { facilityCode: '01901' }, message: 'the HIS database did not answer within 5000 ms' });
    expect(coded.cause).toBe(error);
  });

  it.each<[string, unknown, string]>([
    ['a refused connection', driverError('connect ECONNREFUSED 10.1.2.3:5432', { code: 'ECONNREFUSED' }), 'the HIS database cannot be reached (ECONNREFUSED)'],
    ['wrong credentials', driverError('password authentication failed for user "his_reader"', { code: '28P01' }), 'the HIS database cannot be reached (28P01)'],
    ['a pool that gave up connecting', new Error('timeout exceeded when trying to connect'), 'the HIS database cannot be reached (connect timeout)'],
    ['a statement the database rejected', driverError('column "so_cccd" does not exist', { code: '42703' }), 'the HIS database failed to answer a query (42703)'],
    ['something without a code', new Error("invalid input syntax for type date: \"001090000001\""), 'the HIS database failed to answer a query'],
  ])('reports %s as SOURCE_UNAVAILABLE, without the driver message', (_case, error, message) => {
    const coded = toSourceError(error, context);
    expect(coded).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { facilityCode: '01901' }, message });
  });

  it('passes a coded error through unchanged', () => {
    const coded = new PatientGraphError('SOURCE_TIMEOUT', 'late', { facilityCode: '01901' });
    expect(toSourceError(coded, context)).toBe(coded);
  });

  it('never copies a code that is not a plain code into the message', () => {
    const coded = toSourceError(driverError('x', { code: 'value 001090000001 is bad' }), context);
    expect(coded.message).toBe('the HIS database failed to answer a query');
  });
});
