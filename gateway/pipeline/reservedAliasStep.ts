import { visit } from 'graphql';
import { INTERNAL_ALIAS_PREFIX } from '../network/internalAliases';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

/**
 * Step: no client alias may start with the prefix of the aliases the network data source adds to
 * what it asks the hospitals (gateway/network/internalAliases.ts). Such an alias would be taken
 * for the gateway's own (a hidden pseudonym list, an unrounded count) or stripped from the answer;
 * refused up front, it is the caller's 400 instead of an error from every hospital.
 */
export function reservedAliasStep(): PipelineStep {
  return {
    name: 'document-limits',
    run({ apollo }) {
      // Cheap for every ordinary request: the document is walked only when the text holds the prefix.
      if (!(apollo.source ?? '').includes(INTERNAL_ALIAS_PREFIX)) return null;
      let reserved: string | undefined;
      visit(apollo.document, {
        Field(node) {
          if (reserved === undefined && node.alias?.value.startsWith(INTERNAL_ALIAS_PREFIX)) reserved = node.alias.value;
        },
      });
      return reserved === undefined
        ? null
        : requestError('BAD_USER_INPUT', `The alias ${reserved} is reserved: aliases starting with ${INTERNAL_ALIAS_PREFIX} belong to the gateway.`);
    },
  };
}
