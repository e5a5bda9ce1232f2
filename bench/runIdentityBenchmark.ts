import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { MatchRecord } from '../core/matching/MatchRecord';
import { matchRecords, type MatchDecision } from '../core/matching/matchRecords';
import { parseMatchPair, type MatchPair } from '../core/matching/parseMatchPair';
import { evaluateMatcher, type MatcherEvaluation } from '../demo/identity/evaluateMatcher';
import { MATCH_ERROR_TYPES, NON_MATCH_TYPES, type PairLabel } from '../demo/identity/generateLabelledPairs';
import { LABELLED_PAIR_DIR, LABELS_FILE, PAIRS_FILE } from '../demo/identity/writeLabelledPairFiles';
import { createRandom, type Random } from '../demo/population/random';
import { FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE } from '../demo/population/vietnameseNames';
import { openSqlPatientIndex } from '../subgraphs/identity/openSqlPatientIndex';
import type { IndexPerson, SqlPatientIndex } from '../subgraphs/identity/SqlPatientIndex';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The matcher on the committed labelled pair set (test/fixtures/identity): precision and recall
 * per error type, and pairs matched per second in one process. Results go to bench/RESULTS.md.
 *
 * Then the time to match one record against a large persistent index through blocking: a
 * throw-away PostgreSQL database is filled with BENCH_IDENTITY_PEOPLE synthetic people (default
 * 1,000,000) and records typed with the usual errors are matched against it (candidates read by
 * blocking key, each scored by the matcher), one at a time.
 *
 * Run: `npm run bench:identity` (BENCH_SECONDS=3 of matching for the throughput;
 * BENCH_IDENTITY_PEOPLE=0 skips the index part; BENCH_PG_URL names the administrative connection).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const INDEX_PEOPLE = Number(process.env.BENCH_IDENTITY_PEOPLE ?? 1_000_000);
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
  readonly maxMs: number;
  readonly candidatesP50: number;
  readonly candidatesMax: number;
  readonly found: number;
}

/** A synthetic person with demo name frequencies (light: no facility records). */
function syntheticPerson(random: Random, i: number): IndexPerson {
  const female = random.chance(0.5);
  const family = random.pickWeighted(FAMILY_NAMES);
  const middle = random.pickWeighted(female ? MIDDLE_NAMES_FEMALE : MIDDLE_NAMES_MALE);
  const given = random.pick(female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE);
  const year = random.int(1930, 2025);
  const birthDate = `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
  return {
    nationalId: String(100_000_000_000 + i),
    name: { full: `${family} ${middle} ${given}`, family, given: [middle, given] },
    birthDate,
    gender: female ? 'FEMALE' : 'MALE',
    insuranceNumber: null,
    province: random.pick(['01', '79', '48', '92', '31', '46', '38', '40']),
  };
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

async function timeIndex(): Promise<IndexTiming | null> {
  if (INDEX_PEOPLE <= 0) return null;
  const name = `bench_identity_${process.pid}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  let index: SqlPatientIndex | null = null;
  try {
    index = await openSqlPatientIndex({ kind: 'postgres', url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
    const random = createRandom(20261207);
    const every = Math.max(1, Math.floor(INDEX_PEOPLE / QUERIES));
    const probes: IndexPerson[] = [];
    const start = performance.now();
    for (let from = 0; from < INDEX_PEOPLE; from += 5000) {
      const batch = Array.from({ length: Math.min(5000, INDEX_PEOPLE - from) }, (_, k) => syntheticPerson(random, from + k));
      for (const person of batch) if (Number(person.nationalId) % every === 0 && probes.length < QUERIES) probes.push(person);
      await index.upsertPeople(batch);
      if ((from / 5000) % 20 === 0) process.stderr.write(`loaded ${from + batch.length}\n`);
    }
    const loadSeconds = (performance.now() - start) / 1000;
    const times: number[] = [];
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
    }
    const sorted = [...times].sort((a, b) => a - b);
    const counts = [...candidateCounts].sort((a, b) => a - b);
    const at = (list: number[], q: number): number => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
    return {
      people: INDEX_PEOPLE, loadSeconds, queries: probes.length,
      p50Ms: at(sorted, 0.5), p95Ms: at(sorted, 0.95), maxMs: sorted.at(-1) ?? 0,
      candidatesP50: at(counts, 0.5), candidatesMax: counts.at(-1) ?? 0, found,
    };
  } finally {
    await index?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function indexSection(timing: IndexTiming | null): string[] {
  if (timing === null) return ['Index part skipped (BENCH_IDENTITY_PEOPLE=0).', ''];
  return [
    `Matching one record against a persistent index of ${timing.people.toLocaleString('en-US')} people on PostgreSQL ` +
      `(this machine's server; loaded by SqlPatientIndex.upsertPeople in ${Math.round(timing.loadSeconds)} s, blocking keys included): ` +
      `${timing.queries} records typed with the usual errors (no diacritics; year only; capitals with day/month swapped or a day digit off), one at a time, ` +
      'candidates read by blocking key and each scored by the matcher.',
    '',
    '| people in index | records | p50 ms | p95 ms | max ms | candidates p50 | candidates max | right person among MATCH/POSSIBLE |',
    '|---|---|---|---|---|---|---|---|',
    `| ${timing.people.toLocaleString('en-US')} | ${timing.queries} | ${timing.p50Ms.toFixed(1)} | ${timing.p95Ms.toFixed(1)} | ${timing.maxMs.toFixed(1)} | ${timing.candidatesP50} | ${timing.candidatesMax} | ${timing.found}/${timing.queries} |`,
    '',
  ];
}

async function main(): Promise<void> {
  const { pairs, labels } = loadPairs();
  const decisions: MatchDecision[] = pairs.map((p) => matchRecords(p.a, p.b).decision);
  const evaluation = evaluateMatcher(labels, decisions);
  const perSecond = throughput(pairs);
  const timing = await timeIndex();
  const date = new Date().toISOString().slice(0, 10);
  recordBenchmarkResults([
    `### Identity matcher on the labelled pair set — ${date}`,
    '',
    `Command: \`BENCH_SECONDS=${SECONDS} BENCH_IDENTITY_PEOPLE=${INDEX_PEOPLE} npm run bench:identity\` (Node ${process.version}, one process on this 2-core machine). ` +
      `${pairs.length} pairs from test/fixtures/identity (generated from the demo population by demo/identity/generateLabelledPairs.ts; ` +
      'side a as the patient index holds a person, side b as a hospital typed them).',
    '',
    `Over MATCH + POSSIBLE_MATCH: precision ${evaluation.precision.toFixed(4)}, recall ${evaluation.recall.toFixed(4)}. ` +
      `True matches decided MATCH without review: ${percent(evaluation.automaticShare)}; precision of MATCH alone ${evaluation.matchPrecision.toFixed(4)}. ` +
      `Throughput: ${Math.round(perSecond).toLocaleString('en-US')} pairs/s (matchRecords alone, ${SECONDS} s).`,
    '',
    table(evaluation),
    '',
    ...indexSection(timing),
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
