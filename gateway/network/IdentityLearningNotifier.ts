import { LRUCache } from 'lru-cache';
import type { Logger } from '../../core/logging/logger';
import type { RegisteredSource } from '../sources/RegisteredSource';
import { fetchFromSource } from './fetchFromSource';
import type { SourceClients } from './SourceClients';

const MUTATION = 'mutation PatientGraphLearnFromAnswers($answers: [AnsweredPatient!]!) { learnFromAnswers(answers: $answers) }';

export interface IdentityLearningLimits {
  /** Pairs waiting to be sent; beyond this new ones are dropped (counted), never queued without end. */
  readonly maxPending?: number;
  /** Pairs per call (the identity subgraph takes at most 100). */
  readonly batchSize?: number;
  /** A pair sent is not sent again for this long (every query for a chart would otherwise ask again). */
  readonly resendAfterMs?: number;
}

/**
 * Tells the identity subgraph which sources answered for which people through demographics
 * (`learnFromAnswers`, docs/identity.md §2), after the answer, in the background: bounded queue,
 * one call in flight, nothing awaited by the request that observed it, failures logged (codes and
 * counts only, no patient data) and dropped. The gateway sends (facility, national ID) pairs and
 * nothing else: the identity subgraph asks the facility for the record itself, so the gateway never
 * copies patient data into the index. An index that does not learn (PATIENT_INDEX_READ_ONLY) turns
 * the notifier off.
 */
export class IdentityLearningNotifier {
  private readonly pending = new Map<string, { facilityCode: string; nationalId: string }>();
  private readonly sent: LRUCache<string, true>;
  private readonly maxPending: number;
  private readonly batchSize: number;
  private flushing: Promise<void> | null = null;
  private disabled = false;
  private dropped = 0;

  constructor(
    private readonly identity: RegisteredSource,
    private readonly clients: SourceClients,
    private readonly logger: Logger,
    limits: IdentityLearningLimits = {},
  ) {
    this.maxPending = limits.maxPending ?? 1000;
    this.batchSize = Math.min(limits.batchSize ?? 100, 100);
    this.sent = new LRUCache({ max: 10_000, ttl: limits.resendAfterMs ?? 10 * 60_000 });
  }

  /** Records that `facilityCode` answered for these people through demographics. Never throws, never waits. */
  observe(facilityCode: string, nationalIds: readonly string[]): void {
    if (this.disabled) return;
    for (const nationalId of nationalIds) {
      const key = `${facilityCode}|${nationalId}`;
      if (this.pending.has(key) || this.sent.has(key)) continue;
      if (this.pending.size >= this.maxPending) {
        this.dropped += 1;
        continue;
      }
      this.pending.set(key, { facilityCode, nationalId });
    }
    if (this.pending.size > 0 && this.flushing === null) {
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
      });
    }
  }

  /** Resolves when nothing is waiting or in flight (shutdown). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the request that observed the pairs finish first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.size > 0 && !this.disabled) {
      const batch = [...this.pending.entries()].slice(0, this.batchSize);
      for (const [key] of batch) {
        this.pending.delete(key);
        this.sent.set(key, true);
      }
      const answer = await fetchFromSource(this.identity, { query: MUTATION, variables: { answers: batch.map(([, pair]) => pair) }, operationName: 'PatientGraphLearnFromAnswers', principal: null }, this.clients);
      const codes = answer.kind === 'failed' ? [answer.error.code] : (answer.body.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN'));
      if (codes.includes('PATIENT_INDEX_READ_ONLY')) {
        this.disabled = true;
        this.pending.clear();
        this.logger.info('identity.learning-off', { reason: 'PATIENT_INDEX_READ_ONLY' });
      } else if (codes.length > 0) {
        this.logger.warn('identity.learning-failed', { pairs: batch.length, codes: codes.join(', '), droppedSoFar: this.dropped });
      }
    }
  }
}
