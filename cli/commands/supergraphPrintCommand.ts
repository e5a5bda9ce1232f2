import type { CliCommand } from '../CliCommand';

/** `patient-graph supergraph print [--api]`: the composed supergraph SDL, or the client-facing schema. */
export const supergraphPrintCommand: CliCommand = {
  path: ['supergraph', 'print'],
  summary: 'print the supergraph composed from the contracts',
  define(command) {
    command.option('--api', 'the schema clients see, without federation metadata');
  },
  async run(input, io) {
    const [{ composeSupergraph }, { apiSchemaOf }] = await Promise.all([import('../../gateway/supergraph/composeSupergraph'), import('../../gateway/supergraph/apiSchemaOf')]);
    const supergraph = composeSupergraph();
    io.out(input.options.api === true ? apiSchemaOf(supergraph) : supergraph);
    return 0;
  },
};
