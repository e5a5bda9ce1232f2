import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, isErrorCode } from '../../../core/errors/errorCodes';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

/** The README section "When something goes wrong": its error table and the prose around it. */
function errorSection(): string {
  const start = README.indexOf('## When something goes wrong');
  const end = README.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('README has no "When something goes wrong" section');
  return README.slice(start, end);
}

/** Each table row as its codes and the HTTP statuses its meaning states, in order (`(HTTP 400)`, `(400, 429, 403)`, `(401) / … (403 …)`). */
function tableRows(section: string): { codes: string[]; statuses: number[]; line: string }[] {
  return section.split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, codeCell = '', meaning = ''] = line.split('|');
      const codes = [...codeCell.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? '');
      const statuses = [...meaning.matchAll(/\((?:HTTP )?(\d{3}(?:, \d{3})*)/g)].flatMap((m) => (m[1] ?? '').split(', ').map(Number));
      return { codes, statuses, line };
    });
}

describe('README "When something goes wrong" and the error registry (core/errors/errorCodes.ts)', () => {
  const section = errorSection();
  const rows = tableRows(section);

  it('names only codes the registry has, in the table and in the prose', () => {
    const named = [...section.matchAll(/`([A-Z][A-Z_]{3,})`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(15);
    expect(named.filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('states for each code the HTTP status the registry gives it (a row without one: 200, a partial answer)', () => {
    expect(rows.length).toBeGreaterThan(8);
    for (const { codes, statuses, line } of rows) {
      const expected = codes.map((code) => (isErrorCode(code) ? ERROR_CODES[code].status : -1));
      // One status for the row, one per code, or none (partial answers are HTTP 200).
      const stated = statuses.length === 0 ? codes.map(() => 200) : statuses.length === 1 ? codes.map(() => statuses[0]) : statuses;
      expect({ line, statuses: stated }).toEqual({ line, statuses: expected });
    }
  });
});
