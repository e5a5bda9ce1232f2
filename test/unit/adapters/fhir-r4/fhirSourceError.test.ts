import { fhirSourceError, type FhirFailure } from '../../../../adapters/fhir-r4/fhirSourceError';

const context = { facilityCode: '01901', resourceType: 'Patient' };

describe('fhirSourceError', () => {
  it.each<[string, FhirFailure, string]>([
    ['a connection failure', { kind: 'unreachable' }, 'SOURCE_UNAVAILABLE'],
    ['our deadline', { kind: 'timeout', timeoutMs: 500 }, 'SOURCE_TIMEOUT'],
    ['HTTP 504 from a proxy', { kind: 'http', status: 504, issueCode: undefined }, 'SOURCE_TIMEOUT'],
    ['HTTP 500', { kind: 'http', status: 500, issueCode: 'exception' }, 'SOURCE_UNAVAILABLE'],
    ['HTTP 503', { kind: 'http', status: 503, issueCode: undefined }, 'SOURCE_UNAVAILABLE'],
    ['refused credentials', { kind: 'http', status: 401, issueCode: 'login' }, 'SOURCE_UNAVAILABLE'],
    ['throttling', { kind: 'http', status: 429, issueCode: undefined }, 'SOURCE_UNAVAILABLE'],
    ['a rejected search', { kind: 'http', status: 400, issueCode: 'invalid' }, 'SOURCE_INVALID_RESPONSE'],
    ['an OperationOutcome with 200', { kind: 'http', status: 200, issueCode: 'processing' }, 'SOURCE_INVALID_RESPONSE'],
    ['a malformed answer', { kind: 'malformed', reason: 'something that is not JSON' }, 'SOURCE_INVALID_RESPONSE'],
    ['a cap', { kind: 'limit', limit: 'maxPages', value: 3 }, 'SOURCE_INVALID_RESPONSE'],
  ])('codes %s as %s, naming the facility', (_case, failure, code) => {
    const error = fhirSourceError(failure, context);
    expect(error.code).toBe(code);
    expect(error.details.facilityCode).toBe('01901');
    expect(error.message).toContain('facility 01901');
  });

  it('quotes an issue code only when it looks like one', () => {
    expect(fhirSourceError({ kind: 'http', status: 400, issueCode: 'not-supported' }, context).details.issueCode).toBe('not-supported');
    const hostile = fhirSourceError({ kind: 'http', status: 400, issueCode: 'patient 001090000001 not found' }, context);
    expect(hostile.details.issueCode).toBeUndefined();
    expect(hostile.message).not.toContain('001090000001');
  });

  it('names the cap to raise', () => {
    expect(fhirSourceError({ kind: 'limit', limit: 'maxPages', value: 3 }, { facilityCode: '01901', resourceType: 'Observation' }).message)
      .toBe('a search for Observation at the FHIR server of facility 01901 went past adapter.maxPages (3); raise it, or adapter.pageSize');
  });
});
