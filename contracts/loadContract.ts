import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

import type { ContractName } from './contractNames';

export { CONTRACT_NAMES, isContractName, type ContractName } from './contractNames';

export interface Contract {
  readonly name: ContractName;
  readonly sdl: string;
  readonly typeDefs: DocumentNode;
}

const loaded = new Map<ContractName, Contract>();

/** Reads `contracts/<name>.graphql` once per process. */
export function loadContract(name: ContractName): Contract {
  const cached = loaded.get(name);
  if (cached) return cached;
  const sdl = readFileSync(join(__dirname, `${name}.graphql`), 'utf8');
  const contract: Contract = { name, sdl, typeDefs: parse(sdl) };
  loaded.set(name, contract);
  return contract;
}

