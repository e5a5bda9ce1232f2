import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { CostModel } from './CostModel';
import { limitError } from './limitError';
import { measureOperation } from './measureOperation';
import { createOperationLimits, type OperationLimitName, type OperationLimits } from './OperationLimits';
import { isRejectedBeforeParsing, rejectBeforeParsing } from './rejectBeforeParsing';

const DESCRIBE: Record<OperationLimitName, (actual: string, max: string) => string> = {
  documentBytes: (actual, max) => `The operation text is ${actual} bytes long; this gateway accepts at most ${max}.`,
  depth: (actual, max) => `The operation nests fields ${actual} levels deep; this gateway allows at most ${max}.`,
  aliases: (actual, max) => `The operation uses ${actual} aliases; this gateway allows at most ${max}.`,
  rootFields: (actual, max) => `The operation asks for ${actual} root fields; this gateway allows at most ${max}.`,
  cost: (actual, max) =>
    `The operation's estimated cost is ${actual}; this gateway allows at most ${max}. Ask for fewer items (a smaller \`first\`) or fewer nested lists.`,
};

/**
 * Refuses operations over the gateway's limits before anything is planned or fetched
 * (docs/architecture.md §6): OPERATION_LIMIT_EXCEEDED, HTTP 400, with `extensions.limit`, `max` and `actual`.
 * The text size is checked on arrival, before parsing; depth, aliases, root fields and cost once
 * the operation has been validated against the schema.
 */
export function operationLimitsPlugin(limits: Partial<OperationLimits>, costModel: CostModel): ApolloServerPlugin<BaseContext> {
  const max = createOperationLimits(limits);
  return {
    async requestDidStart({ request }) {
      let early: GraphQLError | null = null;
      // `requestDidStart` is the last moment before Apollo Server parses the text (see rejectBeforeParsing).
      const bytes = request.query === undefined ? 0 : Buffer.byteLength(request.query, 'utf8');
      if (bytes > max.maxDocumentBytes) {
        early = exceeded('documentBytes', max.maxDocumentBytes, bytes);
        rejectBeforeParsing(request);
      }
      return {
        async didResolveOperation({ request: current, document, schema, source }) {
          if (early) throw early;
          if (isRejectedBeforeParsing(current)) return;
          // A text looked up by hash (APQ cache, safelist) did not pass the check on arrival.
          const sourceBytes = Buffer.byteLength(source, 'utf8');
          if (sourceBytes > max.maxDocumentBytes) throw exceeded('documentBytes', max.maxDocumentBytes, sourceBytes);
          const measured = measureOperation(document, schema, {
            operationName: current.operationName ?? null,
            variables: current.variables ?? null,
            cost: costModel,
          });
          if (measured.depth > max.maxDepth) throw exceeded('depth', max.maxDepth, measured.depth);
          if (measured.aliases > max.maxAliases) throw exceeded('aliases', max.maxAliases, measured.aliases);
          if (measured.rootFields > max.maxRootFields) throw exceeded('rootFields', max.maxRootFields, measured.rootFields);
          if (measured.cost > max.maxCost) throw exceeded('cost', max.maxCost, measured.cost);
        },
      };
    },
  };
}

function exceeded(limit: OperationLimitName, max: number, actual: number): GraphQLError {
  // A fan-out of fragments can overflow to Infinity, which JSON would turn into null.
  const shown = Number.isFinite(actual) ? Math.ceil(actual) : Number.MAX_SAFE_INTEGER;
  return limitError('OPERATION_LIMIT_EXCEEDED', DESCRIBE[limit](shown.toLocaleString('en-US'), max.toLocaleString('en-US')), { limit, max, actual: shown });
}
