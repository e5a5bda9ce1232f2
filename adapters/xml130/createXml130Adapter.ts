import type { Facility } from '../sdk/ClinicalAdapter';
import type { Logger } from '../../core/logging/logger';
import type { Xml130Config } from './parseXml130Config';
import { Xml130Adapter } from './Xml130Adapter';
import type { PgliteDatabase } from '../sql-his/PgliteDatabase';

/**
 * The xml130 adapter of one facility, with its folder indexed (and followed, when `watch` is on).
 * Rejects when the folder does not exist; `close()` stops following it.
 */
export async function createXml130Adapter(
  config: Xml130Config,
  deps: { readonly logger: Logger; readonly facility: Facility; readonly pglite?: PgliteDatabase },
): Promise<Xml130Adapter> {
  const adapter = new Xml130Adapter({ config, facility: deps.facility, logger: deps.logger, ...(deps.pglite ? { pglite: deps.pglite } : {}) });
  await adapter.start();
  return adapter;
}
