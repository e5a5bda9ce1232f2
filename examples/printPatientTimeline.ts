/**
 * A typed client of patient-graph (README "For app developers"): prints one patient's timeline
 * across hospitals, newest first. The operation is `examples/patientTimeline.graphql`; its result
 * type `PatientTimelineQuery` is generated from the published schema by `npm run codegen`, so a
 * field renamed or retyped in the schema breaks this file at compile time, not at run time.
 *
 *   PATIENT_GRAPH_TOKEN=<bearer token> npx tsx examples/printPatientTimeline.ts <graphql URL> <national ID>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PatientTimelineQuery, PatientTimelineQueryVariables } from './generated/patientGraph';

type TimelinePatient = NonNullable<PatientTimelineQuery['patient']>;

/** One line of the timeline: when (as the hospital recorded it), what, and where from. */
export interface TimelineEntry {
  readonly when: string;
  readonly what: string;
  readonly facilityCode: string;
}

const OPERATION = readFileSync(join(__dirname, 'patientTimeline.graphql'), 'utf8');

/** Asks the gateway for the timeline with the caller's bearer token; throws with the gateway's first error. */
export async function fetchTimeline(graphqlUrl: string, token: string, variables: PatientTimelineQueryVariables): Promise<PatientTimelineQuery> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: OPERATION, variables }),
  });
  const body = (await response.json()) as { data?: PatientTimelineQuery | null; errors?: readonly { message: string; extensions?: { code?: string } }[] };
  const [error] = body.errors ?? [];
  if (!body.data || (error && !body.data.patient)) throw new Error(`patient-graph answered ${response.status}: ${error?.extensions?.code ?? ''} ${error?.message ?? 'no data'}`);
  return body.data;
}

/** The patient's records as timeline entries, newest first. Pure. */
export function timelineOf(patient: TimelinePatient): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...patient.encounters.map((e) => ({
      when: e.period.startAsRecorded ?? e.period.start ?? '',
      what: `${e.class.toLowerCase()} encounter${e.diagnoses.length > 0 ? `: ${e.diagnoses.map((d) => d.code.display ?? d.code.code).join(', ')}` : ''}`,
      facilityCode: e.source.facilityCode,
    })),
    ...patient.conditions.map((c) => ({ when: c.onsetAsRecorded ?? c.recordedDate ?? '', what: `diagnosis ${c.code.code}${c.code.display ? ` ${c.code.display}` : ''}`, facilityCode: c.source.facilityCode })),
    ...patient.observations.map((o) => ({
      when: o.effectiveAsRecorded ?? '',
      what: `result ${o.code.display ?? o.code.code}: ${o.valueQuantity?.value ?? o.valueString ?? '—'}${o.valueQuantity?.unit ? ` ${o.valueQuantity.unit}` : ''}`,
      facilityCode: o.source.facilityCode,
    })),
    ...patient.procedures.map((p) => ({ when: p.performedAsRecorded ?? '', what: `procedure ${p.code.display ?? p.code.code}`, facilityCode: p.source.facilityCode })),
    ...patient.medications.map((m) => ({ when: m.authoredOn ?? '', what: `medication ${m.medication.display ?? m.medication.code}`, facilityCode: m.source.facilityCode })),
  ];
  return entries.filter((entry) => entry.when !== '').sort((a, b) => instantOf(b.when) - instantOf(a.when));
}

/** The first instant a date at any precision covers (a day, month or year starts in Viet Nam time). */
function instantOf(value: string): number {
  const [year, month = '01', day = '01'] = value.slice(0, 10).split('-');
  return value.length > 10 ? Date.parse(value) : Date.parse(`${year ?? ''}-${month}-${day}T00:00:00+07:00`);
}

/** The printed timeline: a header, the death when a hospital records one, then one line per entry. */
export function formatTimeline(patient: TimelinePatient): string[] {
  const death = patient.deceased.find((d) => d.deceased);
  return [
    `${patient.name.full} (${patient.nationalId})`,
    ...(death ? [`deceased${death.deceasedAt ? ` ${death.deceasedAt}` : ''}`] : []),
    ...timelineOf(patient).map((entry) => `${entry.when}  ${entry.facilityCode}  ${entry.what}`),
  ];
}

async function main(): Promise<void> {
  const [graphqlUrl, nationalId] = process.argv.slice(2);
  const token = process.env.PATIENT_GRAPH_TOKEN;
  if (!graphqlUrl || !nationalId || !token) {
    process.stderr.write('usage: PATIENT_GRAPH_TOKEN=<token> npx tsx examples/printPatientTimeline.ts <graphql URL> <national ID>\n');
    process.exitCode = 2;
    return;
  }
  const { patient } = await fetchTimeline(graphqlUrl, token, { nationalId });
  if (!patient) {
    process.stderr.write(`no patient with national ID ${nationalId}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${formatTimeline(patient).join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
