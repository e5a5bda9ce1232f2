import type { AuditGapReport, AuditVerification } from './AuditLog';
import { EMPTY_CHAIN_HEAD, type AuditChainHead } from './AuditRecord';
import { hashAuditRecord } from './hashAuditRecord';
import { parseAuditRecord } from './parseAuditRecord';

/**
 * Checks a chain one stored record at a time, so a log of any size is verified while it streams
 * past (file lines, pages of a Redis stream). Pure: it sees only the texts it is fed.
 *
 * Each record must be well formed, carry the next seq (a gap means a record was removed or moved,
 * a repeat that one was duplicated or moved), link to the record before (`prevHash`) and match its
 * own hash (content unchanged). A chain that was cut short at its end still looks whole; only an
 * anchor kept elsewhere (`result(head)`, e.g. the Redis head key) shows that. Records that
 * acknowledge a loss (`gap`) link like any other and are collected for the verdict.
 */
export class AuditChainVerifier {
  private head: AuditChainHead = EMPTY_CHAIN_HEAD;
  private broken: { readonly seq: number; readonly reason: string } | undefined;
  private readonly gaps: AuditGapReport[] = [];

  /** Feeds the next stored record; false once the chain is broken (later records prove nothing). */
  accept(text: string): boolean {
    if (this.broken) return false;
    const expected = this.head.seq + 1;
    const parsed = parseAuditRecord(text);
    if (parsed.kind === 'invalid') return this.breakAt(expected, `record #${expected} ${parsed.problem}`);
    const record = parsed.record;
    if (record.seq > expected) {
      return this.breakAt(expected, `record #${expected} is missing: #${record.seq} follows #${this.head.seq} (removed or reordered)`);
    }
    if (record.seq < expected) {
      return this.breakAt(expected, `record #${record.seq} appears where #${expected} belongs (duplicated or reordered)`);
    }
    if (record.prevHash !== this.head.hash) {
      return this.breakAt(expected, `record #${expected} does not link to record #${this.head.seq} (prevHash differs)`);
    }
    if (hashAuditRecord(record) !== record.hash) {
      return this.breakAt(expected, `record #${expected} does not match its hash (its content was changed)`);
    }
    this.head = { seq: record.seq, hash: record.hash };
    if (record.gap) this.gaps.push({ seq: record.seq, time: record.time, acknowledgedBy: record.principal.sub, gap: record.gap });
    return true;
  }

  /** The stored text ends inside the next record (a file without its final line end). */
  acceptCutOff(): false {
    const expected = this.head.seq + 1;
    return this.broken ? false : this.breakAt(expected, `record #${expected} is cut off (the log ends inside it)`);
  }

  /** The end of the part of the chain verified so far. */
  verifiedHead(): AuditChainHead {
    return this.head;
  }

  /** The verdict; `anchor` is where the chain is known to end, when something outside it says so. */
  result(anchor?: AuditChainHead): AuditVerification {
    if (this.broken) return { kind: 'broken', ...this.broken };
    const last = this.head.seq;
    if (anchor && anchor.seq > last) {
      return { kind: 'broken', seq: last + 1, reason: `record #${last + 1} is missing: the chain head says the log holds ${anchor.seq} records (removed from the end)` };
    }
    if (anchor && anchor.seq < last) {
      return { kind: 'broken', seq: anchor.seq + 1, reason: `record #${anchor.seq + 1} lies past the chain head #${anchor.seq} (written around the log)` };
    }
    if (anchor && anchor.hash !== this.head.hash) {
      return { kind: 'broken', seq: last, reason: `record #${last} does not match the chain head (replaced)` };
    }
    return this.gaps.length === 0 ? { kind: 'intact', count: last } : { kind: 'intact', count: last, gaps: [...this.gaps] };
  }

  private breakAt(seq: number, reason: string): false {
    this.broken = { seq, reason };
    return false;
  }
}
