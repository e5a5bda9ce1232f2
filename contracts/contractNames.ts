/**
 * The contracts of the patient graph (docs/architecture.md §2): identity, clinical and insurance, plus
 * `access` (consent, break-the-glass, audit trail) and `admin` (the source registry), which the gateway serves itself. The supergraph is composed from
 * these, not from individual hospitals; every subgraph of a kind implements its contract.
 * Names only, without graphql: the CLI checks a name without loading a schema (contracts/loadContract.ts loads them).
 */
export const CONTRACT_NAMES = ['identity', 'clinical', 'insurance', 'access', 'admin'] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export function isContractName(value: string): value is ContractName {
  return (CONTRACT_NAMES as readonly string[]).includes(value);
}
