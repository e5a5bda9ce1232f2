import { VssClient } from '../../adapters/vss/VssClient';
import { VssVisitHistoryLocator } from '../../subgraphs/identity/VssVisitHistoryLocator';
import type { Logger } from '../../core/logging/logger';
import { startDemoHospitalOfKind } from '../../demo/hospitals/startDemoHospitalOfKind';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import type { DemoFacility, Population } from '../../demo/population/types';
import { DEMO_VSS_ACCOUNT } from '../../demo/vss/demoVssAccount';
import { startVssSimulator } from '../../demo/vss/VssSimulator';
import { createIdentitySubgraph } from '../../subgraphs/identity/createIdentitySubgraph';
import { InMemoryPatientIndex } from '../../subgraphs/identity/InMemoryPatientIndex';
import { serveInsuranceSubgraph } from '../../subgraphs/insurance/serveInsuranceSubgraph';
import { serveSubgraph } from '../../subgraphs/serveSubgraph';
import type { PeerConfig } from './peerConfig';

/** The subgraphs every gateway of the comparison sits in front of: identity, insurance, one synthetic hospital. */
export async function servePeerSubgraphs(population: Population, facility: DemoFacility, config: PeerConfig, logger: Logger): Promise<PeerConfig> {
  const host = '127.0.0.1';
  const secret = (target: string): string => {
    const value = config.secrets[target];
    if (!value) throw new Error(`benchmark: no secret for ${target}`);
    return value;
  };
  const vss = await startVssSimulator({ population, host, username: DEMO_VSS_ACCOUNT.username, logger });
  const vssClient = new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger });
  const identitySubgraph = createIdentitySubgraph({ index: new InMemoryPatientIndex(buildDemoPatientIndex(population)), locator: new VssVisitHistoryLocator(vssClient), logger });
  const identity = await serveSubgraph({ name: 'identity', schema: identitySubgraph.schema, context: identitySubgraph.createContext, logger, host, signing: { secret: secret('identity'), target: 'identity' } });
  const insurance = await serveInsuranceSubgraph({ vss: vssClient, logger, host, signing: { secret: secret('insurance'), target: 'insurance' } });
  const hospital = await startDemoHospitalOfKind({ kind: 'synthetic', facility, population, logger, host, signing: { secret: secret(facility.code), target: facility.code } });
  return { ...config, identityUrl: identity.url, insuranceUrl: insurance.url, hospitalUrl: hospital.url };
}
