import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli';

type CliResult = Awaited<ReturnType<typeof runCli>>;

/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

const HUNG = { fullName: 'Nguyễn Văn Hùng', birthDate: '1985-03-12', gender: 'male', province: 'Hà Nội' };
const GOOD_1 = { id: 'same-person', a: HUNG, b: { ...HUNG, fullName: 'NGUYEN VAN HUNG', province: '01' } };
const GOOD_2 = { id: 'different-people', a: HUNG, b: { ...HUNG, fullName: 'Nguyễn Văn Hưng' } };
const GOOD_3 = { id: 3, a: HUNG, b: { ...HUNG, birthDate: '1985' } };

describe('patient-graph identity match', () => {
  let dir: string;
  let clean: CliResult;
  let withBadLines: CliResult;
  let missing: CliResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'identity-match-'));
    await writeFile(join(dir, 'clean.jsonl'), `${[GOOD_1, GOOD_2, GOOD_3].map((p) => JSON.stringify(p)).join('\n')}\n`);
    const lines = [
      JSON.stringify(GOOD_1),
      '{ not json',
      JSON.stringify(GOOD_2),
      '',
      JSON.stringify({ id: 'x', a: { ...HUNG, birthDate: '12/03/1985' }, b: HUNG }),
      JSON.stringify(GOOD_3),
    ];
    await writeFile(join(dir, 'bad.jsonl'), lines.join('\n'));
    [clean, withBadLines, missing] = await Promise.all([
      runCli(['identity', 'match', '--input', join(dir, 'clean.jsonl')]),
      runCli(['identity', 'match', '--input', join(dir, 'bad.jsonl')]),
      runCli(['identity', 'match', '--input', join(dir, 'absent.jsonl')]),
    ]);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one decision line per pair, in input order, and exits 0', () => {
    expect(clean.code).toBe(0);
    expect(clean.stderr).toBe('');
    const out = clean.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(out).toEqual([
      { id: 'same-person', decision: 'MATCH', confidence: expect.any(Number) as number, agreed: ['fullName', 'birthDate', 'gender', 'province'] },
      { id: 'different-people', decision: 'NO_MATCH', confidence: 0, agreed: ['birthDate', 'gender', 'province'] },
      { id: '3', decision: 'POSSIBLE_MATCH', confidence: expect.any(Number) as number, agreed: ['fullName', 'birthDate', 'gender', 'province'] },
    ]);
    for (const line of out) expect(Object.keys(line)).toEqual(['id', 'decision', 'confidence', 'agreed']);
    expect(out[0]?.confidence).toBeGreaterThan(out[2]?.confidence as number);
  });

  it('reports bad lines on stderr with their line number, skips them, answers the rest and exits 3', () => {
    expect(withBadLines.code).toBe(3);
    expect(withBadLines.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['same-person', 'different-people', '3']);
    expect(withBadLines.stderr).toContain('line 2: not valid JSON; skipped');
    expect(withBadLines.stderr).toContain('line 5: "a.birthDate" must be "YYYY-MM-DD" or "YYYY"; skipped');
    expect(withBadLines.stderr).not.toContain('Hùng'); // no personal data in the report
  });

  it('fails with exit 1 and a clear message when the input cannot be read', () => {
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stdout).toBe('');
  });
});
