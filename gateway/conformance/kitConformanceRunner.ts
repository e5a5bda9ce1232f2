import type { ConformanceRunner } from '../registry/SourceRegistrar';
import { isContractName } from '../../contracts/loadContract';
import { failed } from '../registry/RegistrationCheck';
import { runConformanceKit } from './runConformanceKit';

/**
 * Registration runs the same kit as `patient-graph adapter check` (docs/registry.md). The kit knows
 * the shipped contracts only; the registrar does not run it for a contract a source brings.
 */
export const kitConformanceRunner: ConformanceRunner = async (source, testPatients, tls) => {
  if (!isContractName(source.contract)) return [failed('sdl', `the conformance kit has no checks for the "${source.contract}" contract`)];
  return runConformanceKit({ url: source.url, contract: source.contract, code: source.code, secret: source.secret, deadlineMs: source.timeoutMs, testPatients, ...(tls ? { tls } : {}) });
};
