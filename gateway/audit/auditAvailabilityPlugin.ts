import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import type { Logger } from '../../core/logging/logger';
import type { AuditLog } from './AuditLog';

/**
 * Refuses an operation before anything is fetched when the audit log already knows it cannot
 * write (store unreachable, lost records awaiting acknowledgement): `AUDIT_UNAVAILABLE`, HTTP 503.
 * Without it, a request during a Redis outage ran on, the Redis-backed consent and grant stores
 * failed inside the data sources, and the client got HTTP 200 with INTERNAL_SERVER_ERROR while
 * the audit client had already reconnected. The audit plugin still refuses any response whose
 * record cannot be written; this check only makes the refusal early, clean and free.
 */
export function auditAvailabilityPlugin(options: { audit: AuditLog; logger: Logger }): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation() {
          if (!options.audit.checkAvailable) return;
          try {
            await options.audit.checkAvailable();
          } catch (error) {
            options.logger.warn('audit.unavailable_refused', { message: error instanceof Error ? error.message : String(error) });
            throw new GraphQLError(ERROR_CODES.AUDIT_UNAVAILABLE.meaning, { extensions: { code: 'AUDIT_UNAVAILABLE', http: { status: 503 } } });
          }
        },
      };
    },
  };
}
