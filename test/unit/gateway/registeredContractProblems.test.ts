import { parse } from 'graphql';
import { registeredContractProblems } from '../../../gateway/network/registeredContractProblems';

const HEADER = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external"])
directive @merge(strategy: String!, key: String, orderBy: String, direction: String, limitArg: String) on FIELD_DEFINITION
`;

const problems = (body: string): string[] => registeredContractProblems(parse(`${HEADER}${body}`));

describe('registeredContractProblems (what the network data source needs of a contract a source brings)', () => {
  it('accepts nullable, merged Patient fields and merged root fields; the key needs no rule', () => {
    expect(problems(`
      type Query { studyCount: Int @merge(strategy: "SUM") }
      type Patient @key(fields: "nationalId") {
        nationalId: ID!
        studies: [String!] @merge(strategy: "CONCAT", orderBy: "x", direction: "DESC")
        total: Float @merge(strategy: "SUM")
      }
    `)).toEqual([]);
  });

  it('names a non-null Patient field, a field without a rule, a rule that does not fit its type, and another entity', () => {
    expect(problems(`
      type Query { other: [String] }
      type Patient @key(fields: "nationalId") {
        nationalId: ID!
        studies: [String!]! @merge(strategy: "CONCAT")
        note: String @merge(strategy: "CONCAT")
        label: String @merge(strategy: "SUM")
        count: Int
      }
      type Study @key(fields: "id") { id: ID! }
    `)).toEqual([
      expect.stringContaining('Patient.studies is non-null'),
      'Patient.note: @merge(strategy: CONCAT) needs a list',
      'Patient.label: @merge(strategy: SUM) needs Int or Float',
      'Study: only Patient may be an entity (@key) of a registered contract',
      'Query.other has no @merge rule',
      'Patient.count has no @merge rule',
    ]);
  });

  it('refuses a Patient keyed by anything but nationalId', () => {
    expect(problems(`type Patient @key(fields: "insuranceNumber") { insuranceNumber: ID! }`)).toEqual(['Patient: its @key must be "nationalId"']);
  });
});
