import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../server/GatewayContext';
import type { PipelineStep, PipelineStepName } from './PipelineStep';

/**
 * A step whose check is still written as an Apollo plugin (the field policy, `gateway/policy/`):
 * its `didResolveOperation` runs here, at its place in the chain, instead of concurrently with
 * every other plugin's. Only that hook is used; a GraphQLError it throws is the refusal, anything
 * else is a bug and propagates (HTTP 500).
 */
export function pluginStep(name: PipelineStepName, plugin: ApolloServerPlugin<GatewayContext>): PipelineStep {
  return {
    name,
    async run({ apollo }) {
      const hooks = await plugin.requestDidStart?.(apollo);
      try {
        await hooks?.didResolveOperation?.(apollo);
        return null;
      } catch (error) {
        if (error instanceof GraphQLError) return error;
        throw error;
      }
    },
  };
}
