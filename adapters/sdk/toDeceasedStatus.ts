import type { PatientMatch, SourceRef } from '../../contracts/model/clinical';
import type { DeceasedRecord } from '../../contracts/model/patient';
import { patientMatchOf, type MatchedRecord } from './matchPatients';

/** Contract type `DeceasedStatus`: one matched record's word on the patient's death, with provenance. */
export type DeceasedStatus = DeceasedRecord & { readonly source: SourceRef; readonly match: PatientMatch };

/** The record's `DeceasedStatus`, or none when the record says nothing of a death (FHIR deceased[x] absent). */
export function toDeceasedStatus(record: MatchedRecord, source: SourceRef): DeceasedStatus[] {
  if (!record.deceased) return [];
  return [{
    deceased: record.deceased.deceased,
    deceasedAt: record.deceased.deceasedAt,
    source,
    match: patientMatchOf(record),
  }];
}
