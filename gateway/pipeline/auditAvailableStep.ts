import type { Logger } from '../../core/logging/logger';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import type { AuditLog } from '../audit/AuditLog';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Step, last before planning: refuses the operation when the audit log already knows it cannot
 * write (store unreachable, lost records awaiting acknowledgement): AUDIT_UNAVAILABLE, HTTP 503.
 * Without it, a request during a Redis outage ran on, the Redis-backed consent and grant stores
 * failed inside the data sources, and the client got HTTP 200 with INTERNAL_SERVER_ERROR. The
 * audit record written before the answer leaves still refuses any answer it cannot record; this
 * step only makes the refusal early, clean and free.
 */
export function auditAvailableStep(audit: AuditLog, logger: Logger): PipelineStep {
  return {
    name: 'audit-available',
    async run() {
      if (!audit.checkAvailable) return null;
      try {
        await audit.checkAvailable();
        return null;
      } catch (error) {
        logger.warn('audit.unavailable_refused', { message: error instanceof Error ? error.message : String(error) });
        return requestError('AUDIT_UNAVAILABLE', ERROR_CODES.AUDIT_UNAVAILABLE.meaning);
      }
    },
  };
}
