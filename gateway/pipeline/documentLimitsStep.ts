import type { GraphQLError } from 'graphql';
import type { CostModel } from '../limits/CostModel';
import { measureOperation } from '../limits/measureOperation';
import { createOperationLimits, type OperationLimitName, type OperationLimits } from '../limits/OperationLimits';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

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
 * (docs/architecture.md §6): OPERATION_LIMIT_EXCEEDED, HTTP 400, with `extensions.limit`, `max`
 * and `actual`. The text size of a request that brings its text is checked on arrival, before
 * parsing (`documentTooLarge`); this step checks the size of a text looked up by hash, then depth,
 * aliases, root fields and cost from the facts.
 */
export function documentLimitsStep(limits: Partial<OperationLimits>, costModel: CostModel): PipelineStep {
  const max = createOperationLimits(limits);
  return {
    name: 'document-limits',
    run({ facts, variables }) {
      if (facts.documentBytes > max.maxDocumentBytes) return limitExceeded('documentBytes', max.maxDocumentBytes, facts.documentBytes);
      const measured = facts.costReadsVariables
        ? measureOperation(facts.document, facts.schema, { operationName: facts.operation.name?.value ?? null, variables, cost: costModel })
        : facts.measurement;
      if (measured.depth > max.maxDepth) return limitExceeded('depth', max.maxDepth, measured.depth);
      if (measured.aliases > max.maxAliases) return limitExceeded('aliases', max.maxAliases, measured.aliases);
      if (measured.rootFields > max.maxRootFields) return limitExceeded('rootFields', max.maxRootFields, measured.rootFields);
      if (measured.cost > max.maxCost) return limitExceeded('cost', max.maxCost, measured.cost);
      return null;
    },
  };
}

/** A text longer than the limit, before it is parsed; null when it fits. */
export function documentTooLarge(query: string | undefined, limits: Partial<OperationLimits>): GraphQLError | null {
  const max = createOperationLimits(limits).maxDocumentBytes;
  const bytes = query === undefined ? 0 : Buffer.byteLength(query, 'utf8');
  return bytes > max ? limitExceeded('documentBytes', max, bytes) : null;
}

function limitExceeded(limit: OperationLimitName, max: number, actual: number): GraphQLError {
  // A fan-out of fragments can overflow to Infinity, which JSON would turn into null.
  const shown = Number.isFinite(actual) ? Math.ceil(actual) : Number.MAX_SAFE_INTEGER;
  return requestError('OPERATION_LIMIT_EXCEEDED', DESCRIBE[limit](shown.toLocaleString('en-US'), max.toLocaleString('en-US')), { limit, max, actual: shown });
}
