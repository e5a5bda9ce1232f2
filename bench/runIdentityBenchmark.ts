import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { blockingKeys } from '../core/matching/blockingKeys';
import type { MatchRecord } from '../core/matching/MatchRecord';
import { matchRecords, type MatchDecision } from '../core/matching/matchRecords';
import { parseMatchPair, type MatchPair } from '../core/matching/parseMatchPair';
import { evaluateMatcher, type MatcherEvaluation } from '../demo/identity/evaluateMatcher';
import { MATCH_ERROR_TYPES, NON_MATCH_TYPES, type PairLabel } from '../demo/identity/generateLabelledPairs';
import { LABELLED_PAIR_DIR, LABELS_FILE, PAIRS_FILE } from '../demo/identity/writeLabelledPairFiles';
import { generateSigningSecret } from '../core/security/generateSigningSecret';
import { openSqlPatientIndex } from '../subgraphs/identity/openSqlPatientIndex';
import { recordOfPerson, type IndexPerson, type SqlPatientIndex } from '../subgraphs/identity/SqlPatientIndex';
import { fillPatientIndexInSql } from './identity/fillPatientIndexInSql';
import { startIdentityProcess, type IdentityProcess } from './identity/identityProcess';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The matcher on the committed labelled pair set (test/fixtures/identity): precision and recall
 * per error type, and pairs matched per second in one process. Results go to bench/RESULTS.md.
 *
 * Then the time to match one record against a large persistent index through blocking: a
 * throw-away PostgreSQL database is filled in SQL with BENCH_IDENTITY_PEOPLE synthetic people
 * (default 1,000,000; a comma-separated list runs each size, e.g. `100000,1000000,10000000`) and
 * records typed with the usual errors are matched against it one at a time, in this process and
 * through the identity subgraph in its own process over HTTP (with that process's RSS).
 *
 * Run: `npm run bench:identity` (BENCH_SECONDS=3 of matching for the throughput;
 * BENCH_IDENTITY_PEOPLE=0 skips the index part; BENCH_PG_URL names the administrative connection;
 * BENCH_IDENTITY_DB the throw-away database, dropped at the end).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** One size or several, comma-separated (`100000,1000000,10000000`), each in a fresh database. */
const INDEX_SIZES = (process.env.BENCH_IDENTITY_PEOPLE ?? '1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUERIES = 300;

function readLines(file: string): string[] {
  return readFileSync(join(LABELLED_PAIR_DIR, file), 'utf8').split('\n').filter((l) => l !== '');
}

function loadPairs(): { pairs: MatchPair[]; labels: PairLabel[] } {
  const pairs = readLines(PAIRS_FILE).map((line, i) => {
    const parsed = parseMatchPair(line);
    if (!parsed.ok) throw new Error(`${PAIRS_FILE} line ${i + 1}: ${parsed.problem}`);
    return parsed.pair;
  });
  return { pairs, labels: readLines(LABELS_FILE).map((l) => JSON.parse(l) as PairLabel) };
}

function throughput(pairs: readonly MatchPair[]): number {
  let matched = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (const pair of pairs) matchRecords(pair.a, pair.b);
    matched += pairs.length;
  }
  return matched / ((performance.now() - start) / 1000);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function table(evaluation: MatcherEvaluation): string {
  const order: readonly string[] = [...MATCH_ERROR_TYPES, ...NON_MATCH_TYPES];
  const sorted = [...evaluation.byType].sort(([x], [y]) => order.indexOf(x) - order.indexOf(y));
  const rows = sorted.map(([type, c]) => {
    const linked = c.match + c.possible;
    const recall = c.truth ? percent(linked / c.pairs) : '—';
    const automatic = c.truth ? percent(c.match / c.pairs) : '—';
    const wronglyLinked = c.truth ? '—' : String(linked);
    return `| ${type} | ${c.truth ? 'same person' : 'different people'} | ${c.pairs} | ${c.match} | ${c.possible} | ${c.noMatch} | ${recall} | ${automatic} | ${wronglyLinked} |`;
  });
  return [
    '| pair type | truth | pairs | MATCH | POSSIBLE | NO_MATCH | recall (MATCH+POSSIBLE) | decided MATCH | wrongly linked |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

interface IndexTiming {
  readonly people: number;
  readonly loadSeconds: number;
  readonly queries: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly candidatesP50: number;
  readonly candidatesMax: number;
  readonly found: number;
  readonly httpP50Ms: number;
  readonly httpP99Ms: number;
  readonly rssStartMb: number;
  readonly rssAfterMb: number;
  readonly keysChecked: number;
}

/** How a front desk typed a person: without diacritics, year only, or day and month swapped. */
function typedRecord(person: IndexPerson, k: number): MatchRecord {
  const gender = person.gender === 'FEMALE' ? 'female' : 'male';
  const bare = person.name.full.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const date = person.birthDate ?? '';
  switch (k % 3) {
    case 0: return { fullName: bare, birthDate: date, gender, province: person.province ?? null };
    case 1: return { fullName: person.name.full, birthDate: date.slice(0, 4), gender, province: person.province ?? null };
    default: {
      // Day and month swapped where that is still a date; else one digit of the day off.
      const swapped = Number(date.slice(8, 10)) <= 12;
      // One digit changed, still a day of every month: 13–18 ↔ 23–28 by the first digit, 19 → 18.
      const dd = date.slice(8, 10);
      const day = dd === '19' ? '18' : dd[0] === '1' ? `2${dd[1] ?? '0'}` : `1${dd[1] ?? '0'}`;
      return { fullName: person.name.full.toUpperCase(), birthDate: swapped ? `${date.slice(0, 4)}-${date.slice(8, 10)}-${date.slice(5, 7)}` : `${date.slice(0, 8)}${day}`, gender };
    }
  }
}

const at = (list: readonly number[], q: number): number => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
const ascending = (list: readonly number[]): number[] => [...list].sort((a, b) => a - b);

function personOfRow(row: Record<string, unknown>): IndexPerson {
  return {
    nationalId: String(row.national_id),
    name: { full: String(row.full_name), family: String(row.family), given: JSON.parse(String(row.given)) as string[] },
    birthDate: String(row.birth_date),
    gender: String(row.gender) === 'FEMALE' ? 'FEMALE' : 'MALE',
    insuranceNumber: null,
    province: String(row.province),
  };
}

const SEARCH = `query Search($name: String!, $birthDate: String!, $gender: AdministrativeGender, $province: String) {
  searchPatients(name: $name, birthDate: $birthDate, gender: $gender, province: $province, first: 10) { patient { nationalId } decision }
}`;

/**
 * Fills a throw-away PostgreSQL database with `people` people in SQL (fillPatientIndexInSql),
 * checks the keys SQL wrote for the probes against blockingKeys(), then matches the probes both in
 * this process (candidates read by blocking key, each scored) and through the identity subgraph in
 * its own process over HTTP (searchPatients, signed as the gateway signs), with that process's RSS
 * after start and after the matches.
 */
async function timeIndex(people: number): Promise<IndexTiming> {
  const name = process.env.BENCH_IDENTITY_DB ?? `bench_identity_${process.pid}`;
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  let index: SqlPatientIndex | null = null;
  let subgraph: IdentityProcess | null = null;
  const direct = new Client({ connectionString: url });
  try {
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    await direct.connect();
    const start = performance.now();
    await fillPatientIndexInSql(direct, people, 0.20261207);
    const loadSeconds = (performance.now() - start) / 1000;
    process.stderr.write(`filled ${people} in ${loadSeconds.toFixed(0)} s\n`);
    const every = Math.max(1, Math.floor(people / QUERIES));
    const ids = Array.from({ length: Math.min(QUERIES, people) }, (_, k) => String(100_000_000_000 + k * every));
    const { rows } = await direct.query('SELECT * FROM identity_person WHERE national_id = ANY($1::text[]) ORDER BY national_id', [ids]);
    const probes = rows.map((row: Record<string, unknown>) => personOfRow(row));
    // The keys SQL computed must be those blockingKeys() computes, or the timing measures another index.
    const keyRows = await direct.query('SELECT national_id, key FROM identity_blocking_key WHERE national_id = ANY($1::text[])', [ids]);
    const sqlKeys = new Map<string, string[]>();
    for (const row of keyRows.rows as { national_id: string; key: string }[]) sqlKeys.set(row.national_id, [...(sqlKeys.get(row.national_id) ?? []), row.key]);
    for (const person of probes) {
      const expected = blockingKeys(recordOfPerson(person)).sort().join(',');
      const actual = [...(sqlKeys.get(person.nationalId) ?? [])].sort().join(',');
      if (expected !== actual) throw new Error(`SQL blocking keys differ from blockingKeys() for probe ${person.nationalId}: ${actual} vs ${expected}`);
    }
    subgraph = await startIdentityProcess(url, generateSigningSecret());
    const rssStartMb = subgraph.rssMb();
    const times: number[] = [];
    const httpTimes: number[] = [];
    const candidateCounts: number[] = [];
    let found = 0;
    for (const [k, person] of probes.entries()) {
      const record = typedRecord(person, k);
      const t0 = performance.now();
      const candidates = await index.candidates(record);
      const decisions = candidates.map((c) => [c.nationalId, matchRecords(c.record, record).decision] as const);
      times.push(performance.now() - t0);
      candidateCounts.push(candidates.length);
      if (decisions.some(([id, d]) => id === person.nationalId && d !== 'NO_MATCH')) found++;
      const variables = { name: record.fullName, birthDate: record.birthDate, gender: record.gender?.toUpperCase() ?? null, province: record.province ?? null };
      const t1 = performance.now();
      const answer = await subgraph.query({ query: SEARCH, variables }) as { errors?: unknown[] };
      httpTimes.push(performance.now() - t1);
      if (answer.errors) throw new Error(`searchPatients failed: ${JSON.stringify(answer.errors)}`);
    }
    const rssAfterMb = subgraph.rssMb();
    const sorted = ascending(times);
    const http = ascending(httpTimes);
    const counts = ascending(candidateCounts);
    return {
      people, loadSeconds, queries: probes.length,
      p50Ms: at(sorted, 0.5), p95Ms: at(sorted, 0.95), p99Ms: at(sorted, 0.99), maxMs: sorted.at(-1) ?? 0,
      candidatesP50: at(counts, 0.5), candidatesMax: counts.at(-1) ?? 0, found,
      httpP50Ms: at(http, 0.5), httpP99Ms: at(http, 0.99), rssStartMb, rssAfterMb, keysChecked: probes.length,
    };
  } finally {
    await subgraph?.stop();
    await direct.end();
    await index?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function indexSection(timings: readonly IndexTiming[]): string[] {
  if (timings.length === 0) return ['Index part skipped (BENCH_IDENTITY_PEOPLE=0).', ''];
  return [
    'Matching one record against a persistent index on PostgreSQL (this machine\'s server), filled in SQL by ' +
      'bench/identity/fillPatientIndexInSql.ts (INSERT … SELECT FROM generate_series, demo name lists with their weights, ' +
      'the blocking keys of core/matching/blockingKeys.ts — checked against blockingKeys() for every probe). ' +
      'Records typed with the usual errors (no diacritics; year only; capitals with day/month swapped or a day digit off), one at a time: ' +
      'in-process = candidates read by blocking key and each scored by the matcher; HTTP = `searchPatients` on the identity subgraph ' +
      'in its own process (bench/identity/serveIdentityIndex.ts, signed as the gateway signs). RSS = that process\'s resident set ' +
      'after start and after all the HTTP matches.',
    '',
    '| people in index | fill s | records | in-process p50 ms | p95 ms | p99 ms | max ms | HTTP p50 ms | HTTP p99 ms | candidates p50 | candidates max | right person among MATCH/POSSIBLE | subgraph RSS after start MB | RSS after matches MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...timings.map((t) =>
      `| ${t.people.toLocaleString('en-US')} | ${Math.round(t.loadSeconds)} | ${t.queries} | ${t.p50Ms.toFixed(1)} | ${t.p95Ms.toFixed(1)} | ${t.p99Ms.toFixed(1)} | ${t.maxMs.toFixed(1)} | ` +
      `${t.httpP50Ms.toFixed(1)} | ${t.httpP99Ms.toFixed(1)} | ${t.candidatesP50} | ${t.candidatesMax} | ${t.found}/${t.queries} | ${t.rssStartMb.toFixed(0)} | ${t.rssAfterMb.toFixed(0)} |`),
    '',
  ];
}

async function main(): Promise<void> {
  const { pairs, labels } = loadPairs();
  const decisions: MatchDecision[] = pairs.map((p) => matchRecords(p.a, p.b).decision);
  const evaluation = evaluateMatcher(labels, decisions);
  const perSecond = throughput(pairs);
  const timings: IndexTiming[] = [];
  for (const people of INDEX_SIZES) {
    const timing = await timeIndex(people);
    timings.push(timing);
    // Each size as soon as it is measured: a 10-million run takes long enough to want the smaller ones early.
    process.stderr.write(`${indexSection([timing]).slice(-2).join('\n')}\n`);
  }
  const date = new Date().toISOString().slice(0, 10);
  recordBenchmarkResults([
    `### Identity matcher on the labelled pair set — ${date}`,
    '',
    `Command: \`BENCH_SECONDS=${SECONDS} BENCH_IDENTITY_PEOPLE=${INDEX_SIZES.join(',') || '0'} npm run bench:identity\` (Node ${process.version}, one process on this 2-core machine). ` +
      `${pairs.length} pairs from test/fixtures/identity (generated from the demo population by demo/identity/generateLabelledPairs.ts; ` +
      'side a as the patient index holds a person, side b as a hospital typed them).',
    '',
    `Over MATCH + POSSIBLE_MATCH: precision ${evaluation.precision.toFixed(4)}, recall ${evaluation.recall.toFixed(4)}. ` +
      `True matches decided MATCH without review: ${percent(evaluation.automaticShare)}; precision of MATCH alone ${evaluation.matchPrecision.toFixed(4)}. ` +
      `Throughput: ${Math.round(perSecond).toLocaleString('en-US')} pairs/s (matchRecords alone, ${SECONDS} s).`,
    '',
    table(evaluation),
    '',
    ...indexSection(timings),
    `Load average when done: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (2 cores, shared with other jobs).`,
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
