import { buildSchema, parse } from 'graphql';
import { createCostModel } from '../../../../gateway/limits/CostModel';
import { measureOperation, type OperationMeasurement } from '../../../../gateway/limits/measureOperation';

const schema = buildSchema(`
  type Query {
    patient(id: ID!): Patient
    patients(first: Int = 20, after: String): PatientConnection!
    search(limit: Int): [Patient!]!
    count: Int!
    tags: [String!]!
    node(id: ID!): Node
    matrix: [[Patient!]!]!
  }
  interface Node { id: ID! }
  type Patient implements Node {
    id: ID!
    name: String
    encounters(first: Int): [Encounter!]!
    friend: Patient
  }
  type Encounter { id: ID! diagnoses: [Diagnosis!]! patient: Patient }
  type Diagnosis { code: String! }
  type PatientConnection { edges: [PatientEdge!]! totalCount: Int! }
  type PatientEdge { node: Patient! }
`);

const model = createCostModel({
  defaultListSize: 10,
  maxListSize: 100,
  listSizes: {
    'Query.patients': { slicingArguments: ['first'], sizedFields: ['edges'], maxSize: 50 },
    'Patient.encounters': 20,
    'Encounter.diagnoses': 3,
  },
  fieldCosts: { 'Query.count': 7 },
});

function measure(text: string, variables?: Record<string, unknown>, operationName?: string): OperationMeasurement {
  return measureOperation(parse(text), schema, { cost: model, variables: variables ?? null, operationName: operationName ?? null });
}

describe('measureOperation', () => {
  describe('depth', () => {
    it('counts root fields as depth 1 and each nested selection as one more', () => {
      expect(measure('{ patient(id: 1) { name } }').depth).toBe(2);
      expect(measure('{ patient(id: 1) { encounters { diagnoses { code } } } }').depth).toBe(4);
    });

    it('sees through fragment spreads and inline fragments, which add no depth of their own', () => {
      const text = `{ patient(id: 1) { ...P } }
        fragment P on Patient { encounters { ... on Encounter { diagnoses { ... { code } } } } }`;
      expect(measure(text).depth).toBe(4);
    });

    it('follows a deep chain of fragments to its end', () => {
      const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Patient { friend { ...F${i + 1} } }`).join('\n');
      const text = `{ patient(id: 1) { ...F0 } }\n${chain}\nfragment F40 on Patient { name }`;
      // patient (1) + 40 × friend + name
      expect(measure(text).depth).toBe(42);
    });

    it('terminates on fragment cycles, which only validation rejects', () => {
      const text = `{ patient(id: 1) { ...A } }
        fragment A on Patient { friend { ...B } name }
        fragment B on Patient { friend { ...A } ...B }`;
      const measured = measure(text);
      expect(measured.depth).toBe(3);
      expect(Number.isFinite(measured.cost)).toBe(true);
    });

    it('measures fields unknown to the schema by their shape', () => {
      expect(measure('{ ghost { a { b } } }')).toMatchObject({ depth: 3, cost: 2 });
    });

    it('leaves introspection to the introspection switch: no depth, no cost', () => {
      const measured = measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } patient(id: 1) { name } }');
      expect(measured).toMatchObject({ depth: 2, cost: 1, rootFields: 2 });
    });
  });

  describe('aliases and root fields', () => {
    it('counts every alias and every root field', () => {
      expect(measure('{ a: patient(id: 1) { n: name } b: patient(id: 2) { name } count }')).toMatchObject({ aliases: 3, rootFields: 3 });
    });

    it('counts root fields brought in by fragments', () => {
      expect(measure('{ ...Roots count } fragment Roots on Query { a: count b: count }')).toMatchObject({ rootFields: 3, aliases: 2 });
    });

    it('counts a flat alias bomb', () => {
      const fields = Array.from({ length: 1000 }, (_, i) => `p${i}: patient(id: ${i}) { id }`).join(' ');
      expect(measure(`{ ${fields} }`)).toMatchObject({ aliases: 1000, rootFields: 1000, cost: 1000 });
    });

    it('counts aliases as executed when fragments fan out (2^20 from a 1 KiB document), in linear time', () => {
      const levels = Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Patient { ...F${i} ...F${i} }`).join('\n');
      const text = `{ patient(id: 1) { ...F20 } }\nfragment F0 on Patient { a: name b: name }\n${levels}`;
      const started = process.hrtime.bigint();
      const measured = measure(text);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(measured.aliases).toBe(2 * 2 ** 20);
      expect(elapsedMs).toBeLessThan(500);
    });
  });

  describe('cost', () => {
    it('charges 1 per object and multiplies by the sizes of enclosing lists', () => {
      // patient 1 × (1 + encounters 20 × (1 + diagnoses 3 × 1))
      expect(measure('{ patient(id: 1) { name encounters { id diagnoses { code } } } }').cost).toBe(81);
    });

    it('costs the same whether the selection is written inline or in fragments', () => {
      const inline = measure('{ patient(id: 1) { encounters { diagnoses { code } } } }');
      const fragments = measure(`{ patient(id: 1) { ...P } }
        fragment P on Patient { encounters { ...E } }
        fragment E on Encounter { ... on Encounter { diagnoses { code } } }`);
      expect(fragments.cost).toBe(inline.cost);
    });

    it('sizes a list by its `first` argument, literal or variable', () => {
      expect(measure('{ patient(id: 1) { encounters(first: 2) { id } } }').cost).toBe(3);
      expect(measure('query ($n: Int) { patient(id: 1) { encounters(first: $n) { id } } }', { n: 5 }).cost).toBe(6);
    });

    it('falls back to the variable default, then to the configured size of the coordinate', () => {
      expect(measure('query ($n: Int = 7) { patient(id: 1) { encounters(first: $n) { id } } }').cost).toBe(8);
      expect(measure('query ($n: Int) { patient(id: 1) { encounters(first: $n) { id } } }').cost).toBe(21);
    });

    it('caps list sizes and never counts a negative one', () => {
      const text = 'query ($n: Int) { patient(id: 1) { encounters(first: $n) { id } } }';
      expect(measure(text, { n: 1_000_000 }).cost).toBe(101);
      expect(measure(text, { n: -3 }).cost).toBe(1);
    });

    it('uses the default list size and the global slicing arguments on lists without a rule', () => {
      expect(measure('{ search { id } }').cost).toBe(10);
      expect(measure('{ search(limit: 4) { id } }').cost).toBe(4);
    });

    it('sizes connection edges by the connection field’s `first`, its schema default, and its own cap', () => {
      const page = (args: string): number => measure(`{ patients${args} { totalCount edges { node { name } } } }`).cost;
      expect(page('(first: 30)')).toBe(1 + 30 * 2);
      expect(page('')).toBe(1 + 20 * 2);
      expect(page('(first: 500)')).toBe(1 + 50 * 2);
    });

    it('multiplies nested lists and nested list fields', () => {
      expect(measure('{ matrix { id } }').cost).toBe(100);
      // search 10 × (1 + encounters 20 × (1 + diagnoses 3 × 1))
      expect(measure('{ search { encounters { diagnoses { code } } } }').cost).toBe(10 * (1 + 20 * 4));
    });

    it('charges configured weights for leaves, and 1 for a list of leaves', () => {
      expect(measure('{ count tags }').cost).toBe(8);
    });

    it('measures selections on an interface through their type conditions', () => {
      expect(measure('{ node(id: 1) { id ... on Patient { encounters { id } } } }').cost).toBe(21);
    });
  });

  describe('operation choice', () => {
    const text = 'query Small { patient(id: 1) { name } } query Big { patient(id: 1) { encounters { id } } }';

    it('measures the named operation', () => {
      expect(measure(text, undefined, 'Small').cost).toBe(1);
      expect(measure(text, undefined, 'Big').cost).toBe(21);
    });

    it('measures the largest operation when the choice is ambiguous', () => {
      expect(measure(text).cost).toBe(21);
    });
  });

  it('reports the UTF-8 size of the source text when the document carries it', () => {
    const text = '{ patient(id: "Nguyễn") { name } }';
    expect(measureOperation(parse(text), schema, { cost: model }).documentBytes).toBe(Buffer.byteLength(text, 'utf8'));
    expect(measureOperation(parse(text, { noLocation: true }), schema, { cost: model }).documentBytes).toBeUndefined();
  });
});
