import { Supergraph } from '@apollo/federation-internals';
import { printSchema } from 'graphql';

/** The schema clients see for a supergraph: no join metadata, no `@inaccessible` elements. */
export function apiSchemaOf(supergraphSdl: string): string {
  return printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}
