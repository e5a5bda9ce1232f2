/**
 * What recomposing the supergraph in place costs a replica when a source brings a new contract
 * (docs/registry.md §7): Federation 2 composition of the shipped contracts alone, then with 1 and
 * with 5 registered contracts, median of RUNS compositions each. Command and results:
 * bench/RESULTS.md "Recomposition".
 */
import { performance } from 'node:perf_hooks';
import { CONTRACT_NAMES } from '../contracts/loadContract';
import { composeWithEveryContract, type ExtraSubgraph } from '../gateway/supergraph/composeNetworkSupergraph';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const base = CONTRACT_NAMES.map((name) => ({ name, url: `http://${name}.contract.invalid/graphql` }));

function contract(index: number): ExtraSubgraph {
  return {
    name: `imaging-${index}`,
    url: `http://imaging-${index}.invalid/graphql`,
    sdl: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
      type Patient @key(fields: "nationalId") {
        nationalId: ID!
        imagingStudies${index}: [ImagingStudy${index}!]! @policy(policies: [["clinical"]])
      }
      type ImagingStudy${index} @policy(policies: [["clinical"]]) { modality: String! bodySite: String! performedOn: String! }
    `,
  };
}

function medianMs(extras: readonly ExtraSubgraph[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const composed = composeWithEveryContract(base, extras);
    times.push(performance.now() - started);
    if (composed.leftOut.size > 0) throw new Error(`left out: ${[...composed.leftOut.keys()].join(', ')}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

// Warm-up of every shape (module loading, JIT), so the first measured shape is not penalized.
for (const extras of [[], [contract(1)], [1, 2, 3, 4, 5].map(contract)]) medianMs(extras);
const alone = medianMs([]);
const one = medianMs([contract(1)]);
const five = medianMs([1, 2, 3, 4, 5].map(contract));
console.log(`shipped contracts alone: ${alone.toFixed(0)} ms`);
console.log(`+ 1 registered contract: ${one.toFixed(0)} ms (${(one / alone).toFixed(2)}×)`);
console.log(`+ 5 registered contracts: ${five.toFixed(0)} ms (${(five / alone).toFixed(2)}×)`);
