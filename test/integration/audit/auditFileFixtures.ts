import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { sampleAuditEntries } from '../../unit/gateway/audit/sampleAuditEntry';

/** A fresh directory under the OS temp dir; `remove` deletes it and everything in it. */
export async function tempDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'pg-audit-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes an intact audit file of `count` records through FileAuditLog, as the gateway would. */
export async function writeAuditFile(path: string, count: number): Promise<void> {
  const log = await FileAuditLog.open(path);
  try {
    for (const entry of sampleAuditEntries(count)) await log.append(entry);
  } finally {
    await log.close();
  }
}

/** The ways an audit file gets tampered with, and the record `verify` must name for each. */
export const TAMPERINGS: readonly { readonly name: string; readonly brokenSeq: number; readonly apply: (lines: string[]) => string[] | string }[] = [
  {
    name: 'one field of a middle record edited',
    brokenSeq: 3,
    apply: (lines) => lines.map((line, i) => (i === 2 ? JSON.stringify({ ...(JSON.parse(line) as object), outcome: 'denied' }) : line)),
  },
  { name: 'a line deleted', brokenSeq: 3, apply: (lines) => lines.filter((_, i) => i !== 2) },
  { name: 'two lines swapped', brokenSeq: 2, apply: (lines) => [lines[0] ?? '', lines[2] ?? '', lines[1] ?? '', ...lines.slice(3)] },
  {
    name: 'the last line truncated',
    brokenSeq: 5,
    apply: (lines) => `${lines.slice(0, 4).join('\n')}\n${(lines[4] ?? '').slice(0, 50)}`,
  },
];

/** Rewrites the file's lines (without their line ends) through `apply`. */
export async function tamperAuditFile(path: string, apply: (lines: string[]) => string[] | string): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
  const result = apply(lines);
  await writeFile(path, typeof result === 'string' ? result : `${result.join('\n')}\n`);
}
