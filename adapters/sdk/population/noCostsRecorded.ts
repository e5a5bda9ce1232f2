import { PatientGraphError } from '../../../core/errors/PatientGraphError';

/**
 * The refusal of a source that records no costs at all (a FHIR server without Claims, a HIS
 * mapping without cost columns) asked a `COST` question: its part is unknown, not zero, so it
 * answers an error naming the facility — the gateway reports it beside the other hospitals' cells
 * instead of adding a silent 0 (docs/analytics.md, "Cost").
 */
export function noCostsRecorded(facilityCode: string, why: string): PatientGraphError {
  return new PatientGraphError('SOURCE_ERROR', `this source records no encounter costs (${why}); its part of a COST question is unknown`, { facilityCode });
}
