import type { ConformanceRunner } from '../registry/SourceRegistrar';
import { runConformanceKit } from './runConformanceKit';

/** Registration runs the same kit as `patient-graph adapter check` (docs/registry.md). */
export const kitConformanceRunner: ConformanceRunner = (source, testPatients, tls) =>
  runConformanceKit({ url: source.url, contract: source.contract, code: source.code, secret: source.secret, deadlineMs: source.timeoutMs, testPatients, ...(tls ? { tls } : {}) });
