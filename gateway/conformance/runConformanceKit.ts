import type { ClientTls } from '../../core/http/ClientTls';
import type { ContractName } from '../../contracts/loadContract';
import { checkContractSdl } from '../registry/checkContractSdl';
import { failed, passed, type RegistrationCheck } from '../registry/RegistrationCheck';
import { kitRepresentation, unknownNationalIds } from './kitPatients';
import { postToSource, prepareRequest, send, type KitResponse } from './postToSource';

/** A running source to check, as the gateway would call it. */
export interface ConformanceTarget {
  readonly url: string;
  readonly contract: ContractName;
  /** The signing target: the facility code (MA_CSKCB). */
  readonly code: string;
  readonly secret: string;
  /** The deadline the gateway will give each fetch. */
  readonly deadlineMs: number;
  /** National IDs the source holds (each must resolve to a record); may be empty. */
  readonly testPatients: readonly string[];
  /** Representations in the batching check (default 25). */
  readonly batchSize?: number;
  /** For an https:// source: the CA and client certificate the gateway uses (mutual TLS). */
  readonly tls?: ClientTls;
}

/** The clinical contract's lists of a patient (each `@merge(strategy: CONCAT)`, each item with `source`). */
const CLINICAL_LISTS = ['encounters', 'conditions', 'observations', 'medications', 'procedures', 'allergies'] as const;

const ENTITIES_QUERY = `query ConformanceKit($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient { nationalId ${CLINICAL_LISTS.map((l) => `${l} { source { facilityCode } }`).join(' ')} }
  }
}`;

/**
 * The conformance kit (docs/registry.md): everything the gateway relies on from a source, checked
 * against the running source over the signed link. One result per check, in a fixed order; the
 * source conforms when every check passes. Registration runs the same kit.
 */
export async function runConformanceKit(target: ConformanceTarget): Promise<RegistrationCheck[]> {
  const checks: RegistrationCheck[] = [await checkSdl(target)];
  checks.push(await checkRefused(target, 'unsigned'), await checkRefused(target, 'tampered'), await checkReplay(target));
  if (target.contract !== 'clinical') return checks;
  const known = [...new Set(target.testPatients)].slice(0, 10);
  const [unknownA, unknownB] = unknownNationalIds(2) as [string, string];
  const forwardIds = interleave(known, [unknownA, unknownB]);
  const forward = await entities(target, forwardIds);
  const backward = await entities(target, [...forwardIds].reverse());
  checks.push(checkResolution(target, known, forward));
  checks.push(checkOrder(forwardIds, forward, backward));
  const batchIds = [...known, ...unknownNationalIds(Math.max(2, (target.batchSize ?? 25) - known.length))];
  const batch = await entities(target, batchIds);
  checks.push(checkBatching(batchIds, batch));
  checks.push(checkMergeShapes(target, [forward, backward, batch]));
  checks.push(await checkErrorShape(target));
  checks.push(checkDeadline(target, [forward, backward, batch]));
  return checks;
}

async function checkSdl(target: ConformanceTarget): Promise<RegistrationCheck> {
  const response = await postToSource({ ...common(target), query: '{ _service { sdl } }', signing: 'signed' });
  const sdl = (dataOf(response) as { _service?: { sdl?: unknown } } | null)?._service?.sdl;
  if (typeof sdl !== 'string') return failed('sdl', `no SDL from _service { sdl } (${describe(response)})`);
  const verdict = await checkContractSdl(target.contract, sdl);
  return verdict.kind === 'satisfied' ? passed('sdl', `satisfies the ${target.contract} contract`) : failed('sdl', verdict.problems.join('\n'));
}

async function checkRefused(target: ConformanceTarget, signing: 'unsigned' | 'tampered'): Promise<RegistrationCheck> {
  const response = await postToSource({ ...common(target), query: '{ _service { sdl } }', signing });
  const name = signing === 'unsigned' ? 'refuses-unsigned' : 'refuses-tampered';
  return response.status === 401 ? passed(name, 'HTTP 401') : failed(name, `an ${signing} request was answered with HTTP ${response.status}, not 401`);
}

async function checkReplay(target: ConformanceTarget): Promise<RegistrationCheck> {
  const prepared = prepareRequest({ ...common(target), query: '{ _service { sdl } }', signing: 'signed' });
  const first = await send(prepared);
  if (first.status !== 200) return failed('refuses-replayed', `the first, fresh request was answered with HTTP ${first.status}`);
  const second = await send(prepared);
  return second.status === 401 ? passed('refuses-replayed', 'the replay got HTTP 401') : failed('refuses-replayed', `a replayed request was answered with HTTP ${second.status}, not 401`);
}

function checkResolution(target: ConformanceTarget, known: readonly string[], answer: EntitiesAnswer): RegistrationCheck {
  if (answer.kind === 'failed') return failed('entity-resolution', answer.reason);
  const missing = known.filter((id) => {
    const entity = answer.entities.find((e) => e?.nationalId === id);
    return !entity || CLINICAL_LISTS.every((list) => (entity[list] ?? []).length === 0);
  });
  if (missing.length > 0) return failed('entity-resolution', `${missing.length} of ${known.length} test patients came back without any record`);
  const unknownWithData = answer.entities.filter((e) => e !== null && !known.includes(String(e.nationalId)) && CLINICAL_LISTS.some((list) => (e[list] ?? []).length > 0));
  if (unknownWithData.length > 0) return failed('entity-resolution', `records were returned for ${unknownWithData.length} patient(s) the source cannot hold (the kit's synthetic IDs)`);
  return passed('entity-resolution', known.length === 0 ? 'unknown patients: null or empty (no test patients given)' : `${known.length} test patients resolved; unknown patients null or empty`);
}

function checkOrder(sent: readonly string[], forward: EntitiesAnswer, backward: EntitiesAnswer): RegistrationCheck {
  for (const [answer, ids, label] of [[forward, sent, 'in order'], [backward, [...sent].reverse(), 'in reverse order']] as const) {
    if (answer.kind === 'failed') return failed('one-entity-per-representation', answer.reason);
    if (answer.entities.length !== ids.length) return failed('one-entity-per-representation', `${answer.entities.length} entities for ${ids.length} representations (${label})`);
    const wrong = answer.entities.findIndex((e, i) => e !== null && e.nationalId !== ids[i]);
    if (wrong >= 0) return failed('one-entity-per-representation', `entity ${wrong} is not the patient asked at that position (${label}): entities must come back in the order of the representations`);
  }
  return passed('one-entity-per-representation', `${sent.length} representations answered in order, both ways`);
}

function checkBatching(sent: readonly string[], answer: EntitiesAnswer): RegistrationCheck {
  if (answer.kind === 'failed') return failed('batching', answer.reason);
  if (answer.entities.length !== sent.length) return failed('batching', `one request of ${sent.length} representations was answered with ${answer.entities.length} entities`);
  const wrong = answer.entities.findIndex((e, i) => e !== null && e.nationalId !== sent[i]);
  if (wrong >= 0) return failed('batching', `in a batch of ${sent.length}, entity ${wrong} is not the patient asked at that position`);
  return passed('batching', `${sent.length} representations answered in one request`);
}

function checkMergeShapes(target: ConformanceTarget, answers: readonly EntitiesAnswer[]): RegistrationCheck {
  for (const answer of answers) {
    if (answer.kind === 'failed') return failed('merge-fields', answer.reason);
    for (const entity of answer.entities) {
      if (!entity) continue;
      for (const list of CLINICAL_LISTS) {
        const items = entity[list];
        if (!Array.isArray(items)) return failed('merge-fields', `Patient.${list} is not a list`);
        if (items.some((item) => item?.source?.facilityCode !== target.code)) return failed('merge-fields', `an item of Patient.${list} does not name this facility (${target.code}) as its source`);
      }
    }
  }
  return passed('merge-fields', `every @merge list is a list whose items name ${target.code} as their source`);
}

async function checkErrorShape(target: ConformanceTarget): Promise<RegistrationCheck> {
  const response = await postToSource({ ...common(target), query: '{ _entities(representations: []) { ... on Patient { conformanceKitNoSuchField } } }', signing: 'signed' });
  const errors = (response.body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return failed('error-shape', `an invalid query got no GraphQL errors (${describe(response)})`);
  for (const error of errors as { message?: unknown; extensions?: Record<string, unknown> }[]) {
    if (typeof error.message !== 'string') return failed('error-shape', 'an error has no message');
    if (typeof error.extensions?.code !== 'string') return failed('error-shape', 'an error has no extensions.code');
    if (error.extensions.stacktrace !== undefined || error.extensions.exception !== undefined) return failed('error-shape', 'an error carries a stack trace');
  }
  if (response.status >= 500) return failed('error-shape', `an invalid query was answered with HTTP ${response.status} (a caller's mistake is 4xx)`);
  return passed('error-shape', `coded errors (${String((errors[0] as { extensions: { code: string } }).extensions.code)}), no stack trace`);
}

function checkDeadline(target: ConformanceTarget, answers: readonly EntitiesAnswer[]): RegistrationCheck {
  const slowest = Math.max(...answers.map((a) => a.durationMs));
  if (answers.some((a) => a.kind === 'failed' && a.timedOut)) return failed('deadline', `a request did not finish within the ${target.deadlineMs} ms deadline`);
  return slowest <= target.deadlineMs ? passed('deadline', `slowest answer ${slowest} ms ≤ ${target.deadlineMs} ms`) : failed('deadline', `slowest answer ${slowest} ms > ${target.deadlineMs} ms`);
}

type Entity = { readonly nationalId?: unknown } & Partial<Record<(typeof CLINICAL_LISTS)[number], { source?: { facilityCode?: unknown } }[] | null>>;
type EntitiesAnswer =
  | { readonly kind: 'answered'; readonly entities: readonly (Entity | null)[]; readonly durationMs: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly durationMs: number; readonly timedOut: boolean };

async function entities(target: ConformanceTarget, ids: readonly string[]): Promise<EntitiesAnswer> {
  const response = await postToSource({
    ...common(target),
    query: ENTITIES_QUERY,
    variables: { representations: ids.map((id) => kitRepresentation(id, target.code)) },
    signing: 'signed',
  });
  const list = (dataOf(response) as { _entities?: unknown } | null)?._entities;
  if (response.status !== 200 || !Array.isArray(list)) {
    return { kind: 'failed', reason: `an _entities request failed (${describe(response)})`, durationMs: response.durationMs, timedOut: response.status === 0 && String(response.body).includes('timeout') };
  }
  return { kind: 'answered', entities: list as (Entity | null)[], durationMs: response.durationMs };
}

function common(target: ConformanceTarget): { url: string; target: string; secret: string; timeoutMs: number; tls?: ClientTls } {
  // Twice the deadline: a slow answer is reported by the deadline check, not lost as a failure.
  return { url: target.url, target: target.code, secret: target.secret, timeoutMs: target.deadlineMs * 2, ...(target.tls ? { tls: target.tls } : {}) };
}

function dataOf(response: KitResponse): unknown {
  return response.body !== null && typeof response.body === 'object' ? (response.body as { data?: unknown }).data ?? null : null;
}

function describe(response: KitResponse): string {
  if (response.status === 0) return `no answer: ${String(response.body)}`;
  const error = (response.body as { errors?: { message?: string }[] } | null)?.errors?.[0]?.message;
  return `HTTP ${response.status}${error ? `: ${error.slice(0, 200)}` : ''}`;
}

function interleave(known: readonly string[], unknown: readonly string[]): string[] {
  const [first, second] = unknown;
  const half = Math.ceil(known.length / 2);
  return [...known.slice(0, half), ...(first ? [first] : []), ...known.slice(half), ...(second ? [second] : [])];
}
