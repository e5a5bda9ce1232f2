import { buildSchema, parse } from 'graphql';
import { unknownCostCoordinates } from '../../../../gateway/limits/CostModel';
import { measureOperation } from '../../../../gateway/limits/measureOperation';
import { DEFAULT_OPERATION_LIMITS } from '../../../../gateway/limits/OperationLimits';
import { patientGraphCostModel } from '../../../../gateway/limits/patientGraphCostModel';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';

const schema = buildSchema(apiSchemaOf(composeSupergraph()));
const measure = (text: string): ReturnType<typeof measureOperation> => measureOperation(parse(text), schema, { cost: patientGraphCostModel });

const README_PATIENT = `{ patient(nationalId: "056094939225") {
    nationalId name { full } birthDate gender facilityCodes
    encounters { id period { start end } source { facilityCode facilityName } match { method confidence }
                 diagnoses { code { system code display } } }
    insuranceCard { number status validTo beneficiaryGroup benefitLevel }
    insuredVisits { facilityCode admittedAt dischargedAt }
} }`;
const README_ANALYTICS = '{ diagnosisCounts(first: 10, from: "2025-01-01") { code display encounters } encounterCount(facilityCodes: ["01901", "79902"]) }';
const README_INDEX = '{ patients(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { nationalId name { full } facilityCodes } } } }';
const BENCH_PAGE = '{ patients(first: 50) { edges { node { nationalId encounters { id period { start } source { facilityCode } } } } } }';
const COMPLETE_RECORD = `nationalId name { full family given } birthDate gender insuranceNumber facilityCodes identifiers { type system value assigner }
  encounters { id status class period { start end } reasonText departmentCodes diagnoses { code { system code display } role rank }
               cost { total insurancePaid } source { facilityCode facilityName system } match { method confidence } }
  conditions { id code { code display } clinicalStatus recordedDate source { facilityCode } match { method } }
  observations { id status code { code display } valueQuantity { value unit } valueString effectiveDateTime source { facilityCode } match { method } }
  medications { id status medication { code display } dosageText quantity { value unit } authoredOn source { facilityCode } match { method } }
  procedures { id code { code display } performedDateTime source { facilityCode } match { method } }
  allergies { id code { code display } category criticality source { facilityCode } match { method } }
  insuranceCard { number status newCard { number } } insuredVisits { recordId facilityCode }`;

function withinDefaults(text: string): boolean {
  const m = measure(text);
  const l = DEFAULT_OPERATION_LIMITS;
  return m.depth <= l.maxDepth && m.aliases <= l.maxAliases && m.rootFields <= l.maxRootFields && m.cost <= l.maxCost;
}

describe('patientGraphCostModel', () => {
  it('names only fields of the API schema', () => {
    expect(unknownCostCoordinates(patientGraphCostModel, schema)).toEqual([]);
  });

  it('keeps the figures quoted for the default limits true', () => {
    expect(measure(README_PATIENT)).toMatchObject({ depth: 5, cost: 308 });
    expect(measure(README_ANALYTICS)).toMatchObject({ rootFields: 2, cost: 20 });
    expect(measure(BENCH_PAGE)).toMatchObject({ depth: 6, cost: 3101 });
    expect(measure(`{ patient(nationalId: "056094939225") { ${COMPLETE_RECORD} } }`).cost).toBe(935);
  });

  it('lets every README and benchmark query through the default limits', () => {
    for (const text of [README_PATIENT, README_ANALYTICS, README_INDEX, BENCH_PAGE]) expect(withinDefaults(text)).toBe(true);
  });

  it('lets five complete records through and stops a 100-patient page of them', () => {
    const five = Array.from({ length: 5 }, (_, i) => `p${i}: patient(nationalId: "05609493922${i}") { ${COMPLETE_RECORD} }`).join('\n');
    expect(withinDefaults(`{ ${five} }`)).toBe(true);
    const page = `{ patients(first: 100) { edges { node { ${COMPLETE_RECORD} } } } }`;
    expect(measure(page).cost).toBeGreaterThan(90_000);
    expect(withinDefaults(page)).toBe(false);
  });
});
