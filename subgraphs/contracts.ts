import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/**
 * The contracts of the patient graph (docs/architecture.md §2): identity, clinical and insurance, plus
 * `access` (consent, break-the-glass, audit trail) and `admin` (the source registry), which the gateway serves itself. The supergraph is composed from
 * these, not from individual hospitals; every subgraph of a kind implements its contract.
 */
export const CONTRACT_NAMES = ['identity', 'clinical', 'insurance', 'access', 'admin'] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface Contract {
  readonly name: ContractName;
  readonly sdl: string;
  readonly typeDefs: DocumentNode;
}

const loaded = new Map<ContractName, Contract>();

/** Reads `subgraphs/<name>/schema.graphql` once per process. */
export function loadContract(name: ContractName): Contract {
  const cached = loaded.get(name);
  if (cached) return cached;
  const sdl = readFileSync(join(__dirname, name, 'schema.graphql'), 'utf8');
  const contract: Contract = { name, sdl, typeDefs: parse(sdl) };
  loaded.set(name, contract);
  return contract;
}

export function isContractName(value: string): value is ContractName {
  return (CONTRACT_NAMES as readonly string[]).includes(value);
}
