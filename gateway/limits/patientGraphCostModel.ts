import { createCostModel, type CostModel } from './CostModel';

/**
 * The cost model of patient-graph's contracts (`contracts/<contract>.graphql`). Sizes are what a
 * patient typically has once merged across hospitals; weights above 1 mark fields that reach
 * outside the gateway more than once. A test checks every coordinate against the API schema.
 */
export const patientGraphCostModel: CostModel = createCostModel({
  defaultListSize: 10,
  maxListSize: 100,
  listSizes: {
    // Relay connection: `first` (schema default 20, at most 100) sizes the edges.
    'Query.patients': { slicingArguments: ['first'], sizedFields: ['edges'], maxSize: 100 },
    // Truncated after merging to `first` (schema default 20).
    'Query.diagnosisCounts': { slicingArguments: ['first'], maxSize: 100 },
    // One row per registered facility that answered.
    'Query.clinicalSources': 50,
    'Patient.encounters': 20,
    'Patient.conditions': 20,
    'Patient.observations': 50,
    'Patient.medications': 30,
    'Patient.procedures': 20,
    'Patient.allergies': 5,
    // At most one row per hospital holding a record of the patient.
    'Patient.deceased': 5,
    'Patient.identifiers': 5,
    'Patient.insuredVisits': 20,
    'Encounter.diagnoses': 5,
  },
  fieldCosts: {
    // A sum asked of every registered hospital.
    'Query.encounterCount': 10,
    // A call to the VSS card-check web service, itself rate-limited by VSS.
    'Patient.insuranceCard': 5,
  },
});
