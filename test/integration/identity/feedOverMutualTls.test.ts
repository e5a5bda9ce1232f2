import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { buildDemoPatientIndex } from '../../../demo/identity/buildDemoPatientIndex';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { fetchMatchedRecords } from '../../../subgraphs/identity/fetchMatchedRecords';
import { fetchPatientChanges } from '../../../subgraphs/identity/fetchPatientChanges';
import type { FeedSource } from '../../../subgraphs/identity/postSignedToSource';
import { captureLogger } from '../../helpers/captureLogger';
import { makeTestPki, type TestPki } from '../../helpers/makeTestPki';

// The patient index reads a hospital that requires mutual TLS (docs/security.md) with the client
// certificate the gateway's config gives that hospital, as the gateway does (docs/identity.md §2).
describe('the patient index reading a hospital over mutual TLS', () => {
  const population = createDemoPopulation(20);
  const facility = population.facilities.find((f) => population.people.some((p) => p.records.some((r) => r.facilityCode === f.code)))!;
  const treated = buildDemoPatientIndex(population).filter((p) => population.people.find((q) => q.nationalId === p.nationalId)?.records.some((r) => r.facilityCode === facility.code));
  const secret = generateSigningSecret();
  let pki: TestPki;
  let hospital: SyntheticDemoHospital;
  let source: FeedSource;

  beforeAll(async () => {
    pki = await makeTestPki();
    hospital = await startDemoHospital({
      facility,
      population,
      logger: captureLogger().logger,
      signing: { secret, target: facility.code },
      tls: { cert: pki.pem(pki.serverCertFile), key: pki.pem(pki.serverKeyFile), clientCa: pki.pem(pki.caFile) },
    });
    source = { code: facility.code, url: hospital.url, secret, tls: { ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) } };
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
    pki?.remove();
  });

  it('reads the registration feed and the matched records with the client certificate', async () => {
    expect(hospital.url.startsWith('https://')).toBe(true);
    const page = await fetchPatientChanges(source, '1970-01-01T00:00:00Z', 1000, null);
    expect(page.patients.length).toBeGreaterThan(0);
    expect(treated.length).toBeGreaterThan(0);
    const records = await fetchMatchedRecords(source, treated);
    expect(records).toHaveLength(treated.length);
    expect(records.flat().length).toBeGreaterThan(0);
  });

  it('is refused in the handshake without the client certificate, or with a stranger’s', async () => {
    await expect(fetchPatientChanges({ ...source, tls: { ca: pki.pem(pki.caFile) } }, '1970-01-01T00:00:00Z', 10, null)).rejects.toThrow();
    const stranger = { ca: pki.pem(pki.caFile), cert: pki.pem(pki.foreignClientCertFile), key: pki.pem(pki.foreignClientKeyFile) };
    await expect(fetchMatchedRecords({ ...source, tls: stranger }, treated)).rejects.toThrow();
  });
});
