import { buildSchema } from 'graphql';
import { createCostModel, unknownCostCoordinates } from '../../../../gateway/limits/CostModel';

describe('createCostModel', () => {
  it('fills in the defaults', () => {
    const model = createCostModel();
    expect(model).toMatchObject({ defaultListSize: 10, maxListSize: 100, slicingArguments: ['first', 'last', 'limit'] });
    expect(model.listSizes.size).toBe(0);
  });

  it('reads a bare number as the assumed size of a coordinate', () => {
    expect(createCostModel({ listSizes: { 'Patient.encounters': 20 } }).listSizes.get('Patient.encounters')).toEqual({ assumedSize: 20 });
  });

  it('refuses invalid options, naming every problem', () => {
    const attempt = (): unknown =>
      createCostModel({
        maxListSize: 0,
        fieldCosts: { 'Query.count': -1, notACoordinate: 1 },
        listSizes: { 'Patient.encounters': { assumedSize: 2.5 }, 'Query.patients': { sizedFields: ['edges'] } },
      });
    expect(attempt).toThrow(/maxListSize must be an integer ≥ 1, got 0/);
    expect(attempt).toThrow(/fieldCosts\["Query.count"\] must be a finite number ≥ 0, got -1/);
    expect(attempt).toThrow(/invalid coordinate "notACoordinate"/);
    expect(attempt).toThrow(/listSizes\["Patient.encounters"\].assumedSize must be an integer/);
    expect(attempt).toThrow(/listSizes\["Query.patients"\].sizedFields needs slicingArguments/);
  });
});

describe('unknownCostCoordinates', () => {
  it('lists the coordinates that name no field of the schema', () => {
    const schema = buildSchema('type Query { patient: Patient } type Patient { encounters: [String!]! }');
    const model = createCostModel({ listSizes: { 'Patient.encounters': 20, 'Patient.encountres': 20 }, fieldCosts: { 'Nobody.field': 3 } });
    expect(unknownCostCoordinates(model, schema)).toEqual(['Nobody.field', 'Patient.encountres']);
  });
});
