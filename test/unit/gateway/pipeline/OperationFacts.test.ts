import { buildSchema, getOperationAST, parse } from 'graphql';
import { patientGraphCostModel } from '../../../../gateway/limits/patientGraphCostModel';
import { computeOperationFacts, type OperationFacts } from '../../../../gateway/pipeline/OperationFacts';
import { OperationFactsCache } from '../../../../gateway/pipeline/OperationFactsCache';
import { assertEveryScalarValidated, GATEWAY_SCALARS } from '../../../../gateway/pipeline/gatewayScalars';
import { readIdentifierArguments } from '../../../../gateway/pipeline/identifierArguments';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';
import { CONTRACT_NAMES, loadContract } from '../../../../contracts/loadContract';

const schema = buildSchema(apiSchemaOf(composeSupergraph()));
const options = { identifierArguments: readIdentifierArguments(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs)), costModel: patientGraphCostModel, scalars: GATEWAY_SCALARS };

function factsOf(query: string): OperationFacts {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('test query without a single operation');
  return computeOperationFacts(document, schema, operation, query, options);
}

describe('computeOperationFacts', () => {
  it('collects the field coordinates, the identifier arguments and the measurement in one go', () => {
    const facts = factsOf('query($id: ID!) { patient(nationalId: $id) { p: name { full } } other: patient(nationalId: "079085000001") { gender } }');
    expect(facts.fields).toEqual(['HumanName.full', 'Patient.gender', 'Patient.name', 'Query.patient']);
    expect(facts.identifiers.map((s) => [s.coordinate, s.kind, s.value.kind])).toEqual([
      ['Query.patient(nationalId)', 'NATIONAL_ID', 'Variable'],
      ['Query.patient(nationalId)', 'NATIONAL_ID', 'StringValue'],
    ]);
    expect(facts.measurement).toMatchObject({ depth: 3, aliases: 2, rootFields: 2 });
    // `$id` names a patient; it cannot change the cost, so the cached measurement holds.
    expect(facts.costReadsVariables).toBe(false);
  });

  it('measures per request only when a variable gives a slicing argument (first, or a listSizes rule\'s)', () => {
    expect(factsOf('query($n: Int) { patients(first: $n) { totalCount } }').costReadsVariables).toBe(true);
    expect(factsOf('query($n: Int) { ...F } fragment F on Query { patients(first: $n) { totalCount } }').costReadsVariables).toBe(true);
    expect(factsOf('{ patients(first: 5) { totalCount } }').costReadsVariables).toBe(false);
  });

  it.each([
    ['an impossible date', '{ encounterCount(from: "2025-13-45") }'],
    ['a number for a Date', '{ encounterCount(from: 20250101) }'],
    ['a list where one Date belongs', '{ encounterCount(from: ["2025-01-01"]) }'],
    ['an object where one Date belongs', '{ encounterCount(from: { year: 2025 }) }'],
    ['a bad default value of a Date variable', 'query($d: Date = "2025-02-30") { encounterCount(from: $d) }'],
  ])('finds %s among the literals, without repeating the value', (_name, query) => {
    const [problem] = factsOf(query).scalarLiteralProblems;
    expect(problem).toMatchObject({ scalar: 'Date', rule: expect.stringMatching(/a Date is written YYYY-MM-DD/) as unknown });
    expect(JSON.stringify(problem)).not.toMatch(/2025-13-45|2025-02-30|20250101/);
  });

  it('accepts good literals and notes the variables whose values must be checked per request', () => {
    const facts = factsOf('query($to: Date) { encounterCount(from: "2024-02-29", to: $to) }');
    expect(facts.scalarLiteralProblems).toEqual([]);
    expect(facts.scalarVariables.map((v) => v.name)).toEqual(['to']);
  });
});

describe('OperationFactsCache', () => {
  it('computes the facts of a document text and operation once per schema', () => {
    const cache = new OperationFactsCache(10);
    const facts = factsOf('{ encounterCount }');
    let computed = 0;
    const compute = (): OperationFacts => {
      computed += 1;
      return facts;
    };
    expect(cache.get(schema, 'hash-1', null, compute)).toBe(facts);
    expect(cache.get(schema, 'hash-1', null, compute)).toBe(facts);
    expect(computed).toBe(1);
    cache.get(schema, 'hash-1', 'Other', compute);
    cache.get(buildSchema(apiSchemaOf(composeSupergraph())), 'hash-1', null, compute);
    expect(computed).toBe(3);
  });

  it('refuses a size that makes no sense', () => {
    expect(() => new OperationFactsCache(0)).toThrow(/maxEntries must be a positive integer/);
  });
});

describe('assertEveryScalarValidated', () => {
  it('passes for the contracts as they are', () => {
    expect(() => assertEveryScalarValidated(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs))).not.toThrow();
  });

  it('stops the gateway when a contract declares a scalar it cannot validate', () => {
    const withNewScalar = parse('scalar Date scalar Icd10Code type Query { a(d: Date, c: Icd10Code): Int }');
    expect(() => assertEveryScalarValidated([withNewScalar])).toThrow(/no validation for the contract scalar\(s\) Icd10Code/);
  });
});
