import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fhirR4Config, type FhirR4Config } from '../../../adapters/fhir-r4/FhirR4Config';
import { FhirR4Adapter } from '../../../adapters/fhir-r4/FhirR4Adapter';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { IDENTIFIER_SYSTEMS } from '../../../contracts/model/patient';
import type { RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { json, startFhirStandIn, type FhirStandIn } from './startFhirStandIn';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';
import { serveClinicalSubgraph } from '../../../subgraphs/clinical/serveClinicalSubgraph';

/**
 * The fhir-r4 adapter against a FHIR server that misbehaves (a stand-in for a broken outside
 * system, over real HTTP): every failure is a coded error naming the facility — never a crash,
 * never a URL or an identifier in the message or the log.
 */
const FACILITY = { code: '01901', name: 'Bệnh viện Đa khoa Sông Hồng' };
const NATIONAL_ID = '001090000001';
const LOOKUP = { nationalIds: [NATIONAL_ID], socialInsuranceNumbers: [], birthDates: [] };
const searchset = (entry: unknown[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ resourceType: 'Bundle', type: 'searchset', entry, ...extra });
const patient = { resourceType: 'Patient', id: 'BN1', identifier: [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: NATIONAL_ID }] };

describe('FhirR4Adapter against a misbehaving FHIR server', () => {
  let standIn: FhirStandIn;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    standIn = await startFhirStandIn();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  function adapter(overrides: Partial<Omit<FhirR4Config, 'baseUrl'>> = {}): FhirR4Adapter {
    return new FhirR4Adapter(fhirR4Config(standIn.baseUrl, { timeoutMs: 10_000, ...overrides }), { logger, facility: FACILITY });
  }

  /** The coded error `findPatients` fails with, checked for leaks. */
  async function failure(overrides: Partial<Omit<FhirR4Config, 'baseUrl'>> = {}): Promise<PatientGraphError> {
    const error: unknown = await adapter(overrides).findPatients(LOOKUP).then(() => undefined, (e: unknown) => e);
    if (!(error instanceof PatientGraphError)) throw new Error(`expected a PatientGraphError, got ${String(error)}`);
    expect(error.details.facilityCode).toBe(FACILITY.code);
    for (const text of [error.message, ...lines]) {
      expect(text).not.toContain(NATIONAL_ID);
      expect(text).not.toContain('127.0.0.1');
    }
    return error;
  }

  it('reads a good answer (the stand-in itself works)', async () => {
    standIn.answer((res) => json(res, 200, searchset([{ resource: patient }])));
    await expect(adapter().findPatients(LOOKUP)).resolves.toMatchObject([{ localId: 'BN1', nationalId: NATIONAL_ID }]);
  });

  it('answers SOURCE_UNAVAILABLE for HTTP 500 with an HTML page', async () => {
    standIn.answer((res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body>Internal Server Error</body></html>');
    });
    expect(await failure()).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { httpStatus: 500, resourceType: 'Patient' } });
  });

  it('answers SOURCE_UNAVAILABLE for HTTP 500 with an OperationOutcome, quoting its issue code', async () => {
    standIn.answer((res) => json(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: `db down for ${NATIONAL_ID}` }] }));
    expect(await failure()).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { httpStatus: 500, issueCode: 'exception' } });
  });

  it('answers SOURCE_INVALID_RESPONSE for an OperationOutcome with HTTP 400', async () => {
    standIn.answer((res) => json(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] }));
    expect(await failure()).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { httpStatus: 400, issueCode: 'invalid' } });
  });

  it('answers SOURCE_INVALID_RESPONSE for an OperationOutcome with HTTP 200', async () => {
    standIn.answer((res) => json(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] }));
    expect(await failure()).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { httpStatus: 200, issueCode: 'too-costly' } });
  });

  it('answers SOURCE_UNAVAILABLE when the server refuses the credentials', async () => {
    standIn.answer((res) => json(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }));
    expect(await failure({ auth: { kind: 'bearer', token: 'expired' } })).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { httpStatus: 401 } });
  });

  it.each([
    ['truncated JSON', '{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Pat'],
    ['an HTML page with status 200', '<html>maintenance</html>'],
    ['an empty body', ''],
    ['a Bundle of the wrong type', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] })],
    ['entries of another resource type', JSON.stringify(searchset([{ resource: { resourceType: 'Encounter', id: 'E1' } }]))],
    ['entry as an object', JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: { resource: patient } })],
    ['a resource without id', JSON.stringify(searchset([{ resource: { resourceType: 'Patient' } }]))],
  ])('answers SOURCE_INVALID_RESPONSE for %s', async (_case, body) => {
    standIn.answer((res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(body);
    });
    expect(await failure()).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { resourceType: 'Patient' } });
  });

  it('answers SOURCE_INVALID_RESPONSE for an answer larger than maxResponseBytes, without reading it all', async () => {
    standIn.answer((res) => json(res, 200, searchset(Array.from({ length: 2000 }, (_, i) => ({ resource: { ...patient, id: `BN${i}` } })))));
    expect(await failure({ maxResponseBytes: 10_000 })).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE' });
  });

  it('answers SOURCE_TIMEOUT when the server does not answer within timeoutMs', async () => {
    standIn.answer((res) => {
      // Later than the test may run: only the adapter's deadline answers.
      setTimeout(() => json(res, 200, searchset()), 300_000).unref();
    });
    expect(await failure({ timeoutMs: 200 })).toMatchObject({ code: 'SOURCE_TIMEOUT' });
  });

  it('answers SOURCE_TIMEOUT when the body stalls after the headers', async () => {
    standIn.answer((res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.write('{"resourceType":"Bundle",');
      setTimeout(() => res.end('"type":"searchset"}'), 1_500).unref();
    });
    expect(await failure({ timeoutMs: 200 })).toMatchObject({ code: 'SOURCE_TIMEOUT' });
  });

  it('answers SOURCE_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error: unknown = await new FhirR4Adapter(fhirR4Config(`http://127.0.0.1:${port}/fhir`), { logger, facility: FACILITY })
      .findPatients(LOOKUP).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PatientGraphError);
    expect(error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { facilityCode: FACILITY.code } });
    expect(lines.some((line) => line.includes('ECONNREFUSED'))).toBe(true);
  });

  it('repeats a search once when the server resets the connection (a read), and answers', async () => {
    let resets = 1;
    standIn.answer((res) => {
      if (resets-- > 0) {
        res.socket?.destroy();
        return;
      }
      json(res, 200, searchset([{ resource: patient }]));
    });
    const fhir = adapter();
    await expect(fhir.findPatients(LOOKUP)).resolves.toMatchObject([{ localId: 'BN1' }]);
    expect(fhir.stats().requests).toBe(2);
  });

  it('stops sending to a server whose answers keep failing (circuit open): SOURCE_UNAVAILABLE without a request', async () => {
    standIn.answer((res) => json(res, 503, { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'transient' }] }));
    const fhir = adapter();
    for (let i = 0; i < 5; i++) await expect(fhir.findPatients(LOOKUP)).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { httpStatus: 503 } });
    const sent = standIn.requests.length;
    standIn.answer((res) => json(res, 200, searchset([{ resource: patient }])));
    const error = await fhir.findPatients(LOOKUP).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { facilityCode: FACILITY.code } });
    expect(error).not.toHaveProperty('details.httpStatus');
    expect(standIn.requests.length).toBe(sent);
  });

  it('refuses a next link that leaves the server, without following it', async () => {
    const elsewhere = await startFhirStandIn();
    try {
      standIn.answer((res) => json(res, 200, searchset([{ resource: patient }], { link: [{ relation: 'next', url: `${elsewhere.baseUrl}/Patient?page=2` }] })));
      expect(await failure()).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE' });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.stop();
    }
  });

  it('follows next links on the same server, relative ones included', async () => {
    standIn.answer((res, { url }) => {
      if (url.includes('page=2')) json(res, 200, searchset([{ resource: { ...patient, id: 'BN2' } }]));
      else json(res, 200, searchset([{ resource: patient }], { link: [{ relation: 'next', url: 'Patient?page=2' }] }));
    });
    const found = await adapter().findPatients(LOOKUP);
    expect(found.map((p) => p.localId)).toEqual(['BN1', 'BN2']);
  });

  it('answers SOURCE_INVALID_RESPONSE naming maxPages when a search goes on past the cap', async () => {
    let page = 0;
    standIn.answer((res) => {
      page += 1;
      json(res, 200, searchset([{ resource: { ...patient, id: `BN${page}` } }], { link: [{ relation: 'next', url: `${standIn.baseUrl}/Patient?page=${page + 1}` }] }));
    });
    const error = await failure({ maxPages: 3 });
    expect(error).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { limit: 'maxPages' } });
    expect(error.message).toContain('adapter.maxPages (3)');
    expect(page).toBe(3);
  });

  it('answers the status of a failed entry of a birth-date batch', async () => {
    standIn.answer((res) => json(res, 200, {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: [{ response: { status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } } }],
    }));
    const error: unknown = await adapter({ birthDateSearch: 'batch' })
      .findPatients({ nationalIds: [], socialInsuranceNumbers: [], birthDates: ['1990-04-12'] }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', details: { httpStatus: 400, issueCode: 'invalid', facilityCode: FACILITY.code } });
  });

  it('sends a bearer token', async () => {
    standIn.answer((res) => json(res, 200, searchset()));
    await adapter({ auth: { kind: 'bearer', token: 'tok-123' } }).findPatients(LOOKUP);
    expect(standIn.requests.at(-1)?.headers.authorization).toBe('Bearer tok-123');
    expect(standIn.requests.at(-1)?.headers.accept).toBe('application/fhir+json');
  });

  it('sends basic credentials', async () => {
    standIn.answer((res) => json(res, 200, searchset()));
    await adapter({ auth: { kind: 'basic', username: 'his-reader', password: 'mật khẩu' } }).findPatients(LOOKUP);
    expect(standIn.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('his-reader:mật khẩu', 'utf8').toString('base64')}`);
  });

  it('sends no credentials when none are configured', async () => {
    standIn.answer((res) => json(res, 200, searchset()));
    await adapter().findPatients(LOOKUP);
    expect(standIn.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  describe('behind the clinical subgraph', () => {
    let subgraph: RunningSubgraph;

    beforeAll(async () => {
      subgraph = await serveClinicalSubgraph({ facility: FACILITY, adapter: adapter(), logger, signing: testSigning(FACILITY.code) });
    });

    afterAll(async () => {
      await subgraph.stop();
    });

    it('turns a failing FHIR server into a coded GraphQL error with the facility code, and keeps serving', async () => {
      standIn.answer((res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end('{"resourceType":"Bundle","ty');
      });
      const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { nationalId encounters { id } } } }';
      const representation = { __typename: 'Patient', nationalId: NATIONAL_ID, facilityCodes: [FACILITY.code], insuranceNumber: null, name: { full: 'Nguyễn Văn An' }, birthDate: '1990-04-12', gender: 'MALE' };
      const post = async (): Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }> => {
        const response = await postSignedGraphQL(subgraph.url, FACILITY.code, query, { r: [representation] });
        return response.body as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      };
      const failed = await post();
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', facilityCode: FACILITY.code });
      expect(JSON.stringify(failed)).not.toContain('127.0.0.1');

      standIn.answer((res) => json(res, 200, searchset()));
      const recovered = await post();
      expect(recovered.errors).toBeUndefined();
    });
  });
});
