import type { ApolloServerPlugin } from '@apollo/server';
import { documentLimitsStep } from '../pipeline/documentLimitsStep';
import { GATEWAY_SCALARS } from '../pipeline/gatewayScalars';
import { requestPipelinePlugin } from '../pipeline/requestPipelinePlugin';
import type { GatewayContext } from '../server/GatewayContext';
import type { CostModel } from './CostModel';
import type { OperationLimits } from './OperationLimits';

/**
 * The document limits alone, as a plugin (the gateway runs them inside its request pipeline,
 * `requestPipelinePlugin`): OPERATION_LIMIT_EXCEEDED, HTTP 400, with `extensions.limit`, `max`
 * and `actual`; the text size on arrival, before parsing; depth, aliases, root fields and cost
 * once the operation has been validated against the schema.
 */
export function operationLimitsPlugin(limits: Partial<OperationLimits>, costModel: CostModel): ApolloServerPlugin<GatewayContext> {
  return requestPipelinePlugin({
    facts: { identifierArguments: new Map(), costModel, scalars: GATEWAY_SCALARS },
    limits,
    steps: { documentLimits: documentLimitsStep(limits, costModel) },
  });
}
