import { composeSupergraph } from '../../gateway/supergraph/composeSupergraph';
import type { CliCommand } from '../CliCommand';
import { UsageError } from '../CliCommand';
import { parseOptions } from '../parseOptions';
import { apiSchemaOf } from '../../gateway/supergraph/apiSchemaOf';

/** `patient-graph supergraph print [--api]`: the composed supergraph SDL, or the client-facing schema. */
export const supergraphPrintCommand: CliCommand = {
  path: ['supergraph', 'print'],
  summary: 'print the supergraph composed from the contracts',
  usage: 'patient-graph supergraph print [--api]   (--api: the schema clients see, without federation metadata)',
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: [], booleans: ['api'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const supergraph = composeSupergraph();
    io.out(flags.has('api') ? apiSchemaOf(supergraph) : supergraph);
    return 0;
  },
};
