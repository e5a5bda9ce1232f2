import { formatGatewayError, SOURCE_INTERNAL_ERROR_MESSAGE } from '../../../../gateway/server/formatGatewayError';
import { captureLogger } from '../../../helpers/captureLogger';

describe('formatGatewayError', () => {
  it('passes registered codes, without a stack trace', () => {
    const { logger, lines } = captureLogger();
    const formatted = formatGatewayError({ message: 'Invalid argument', extensions: { code: 'INVALID_IDENTIFIER', argument: 'Query.patient(nationalId)', stacktrace: ['at x'] } }, logger);
    expect(formatted).toEqual({ message: 'Invalid argument', extensions: { code: 'INVALID_IDENTIFIER', argument: 'Query.patient(nationalId)' } });
    expect(lines).toEqual([]);
  });

  it('sends Apollo Server request errors outside the registry under a registered code', () => {
    const { logger } = captureLogger();
    expect(formatGatewayError({ message: 'Unknown operation named "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }, logger).extensions).toEqual({ code: 'BAD_REQUEST' });
    // The APQ protocol's answers are registered as they are: clients act on these very codes.
    expect(formatGatewayError({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }, logger).extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_SUPPORTED' });
  });

  it('turns anything else into a clean INTERNAL_SERVER_ERROR and logs it', () => {
    const { logger, lines } = captureLogger();
    const formatted = formatGatewayError({ message: 'connect ECONNREFUSED http://10.0.0.7:4001', path: ['patient'], extensions: { code: 'SOMETHING_ELSE' } }, logger);
    expect(formatted).toEqual({ message: 'Internal error in the gateway; the details are in its log.', path: ['patient'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.some((line) => line.includes('gateway.internal_error'))).toBe(true);
  });

  it('keeps only the code, the facility and the subgraph of an INTERNAL_SERVER_ERROR, never its text', () => {
    const { logger } = captureLogger();
    const fromSource = formatGatewayError({ message: 'Nguyễn Văn Thử 079099012345 broke', path: ['encounterCount'], extensions: { code: 'INTERNAL_SERVER_ERROR', facilityCode: '01901', serviceName: 'clinical', detail: 'x' } }, logger);
    expect(fromSource).toEqual({ message: SOURCE_INTERNAL_ERROR_MESSAGE, path: ['encounterCount'], extensions: { code: 'INTERNAL_SERVER_ERROR', facilityCode: '01901', serviceName: 'clinical' } });
    const own = formatGatewayError({ message: 'the query planner sent no operation', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, logger);
    expect(own).toEqual({ message: 'Internal error in the gateway; the details are in its log.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
