import type { ApolloServerPlugin } from '@apollo/server';
import { redactNames } from '../../core/logging/redactNames';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from './GatewayContext';

/**
 * Joins an internal failure the client sees to the log line that explains it: every
 * INTERNAL_SERVER_ERROR of a request is logged here with the request's trace id (the audit
 * record's too) and the detail — a source's own message, scrubbed of names and identifiers —
 * and the error sent (its text made generic by formatGatewayError) carries the same trace id.
 * Apollo Server's formatError sees no request context, hence this plugin.
 */
export function traceInternalErrors(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (error.extensions.code !== 'INTERNAL_SERVER_ERROR') continue;
            const facilityCode = error.extensions.facilityCode;
            logger.error(typeof facilityCode === 'string' ? 'gateway.source_internal_error' : 'gateway.internal_error', {
              traceId: contextValue.traceId,
              ...(typeof facilityCode === 'string' ? { facilityCode } : {}),
              ...(error.path ? { path: error.path.join('.') } : {}),
              message: redactNames(error.message).slice(0, 500),
            });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (!errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) return;
          response.body.singleResult.errors = errors.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR' ? { ...error, extensions: { ...error.extensions, traceId: contextValue.traceId } } : error,
          );
        },
      };
    },
  };
}
