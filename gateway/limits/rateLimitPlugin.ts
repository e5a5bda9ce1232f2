import type { ApolloServerPlugin } from '@apollo/server';
import { GATEWAY_SCALARS } from '../pipeline/gatewayScalars';
import { rateLimitStep, type RateLimitStepOptions } from '../pipeline/rateLimitStep';
import { requestPipelinePlugin } from '../pipeline/requestPipelinePlugin';
import type { GatewayContext } from '../server/GatewayContext';
import { patientGraphCostModel } from './patientGraphCostModel';

export type RateLimitPluginOptions = RateLimitStepOptions;
export { bucketKey } from '../pipeline/rateLimitStep';

/**
 * Per-principal rate limits alone, as a plugin (the gateway runs them as the first step of its
 * request pipeline, `requestPipelinePlugin`; see `rateLimitStep`).
 */
export function rateLimitPlugin(options: RateLimitPluginOptions): ApolloServerPlugin<GatewayContext> {
  return requestPipelinePlugin({
    facts: { identifierArguments: new Map(), costModel: options.costModel ?? patientGraphCostModel, scalars: GATEWAY_SCALARS },
    steps: { rateLimit: rateLimitStep(options) },
  });
}
