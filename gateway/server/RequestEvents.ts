import type { AuditAggregate } from '../audit/AuditEntry';

/**
 * What happened while one request ran, reported by the data sources as it happens and read once
 * before the response leaves by the audit record and the response extensions
 * (docs/architecture.md §9). Events are appended, never changed, so concurrent fetches of one
 * request cannot overwrite each other's facts.
 */
export type RequestEvent =
  /** A patient the request named or that an answer held (arguments, representations, search matches). */
  | { readonly kind: 'patient-touched'; readonly nationalId: string }
  /** A source was asked: a facility code (MA_CSKCB), `identity` or `insurance`. */
  | { readonly kind: 'source-asked'; readonly source: string }
  /** A clinician broke the glass; the reason goes into the audit record verbatim. */
  | { readonly kind: 'glass-broken'; readonly nationalId: string; readonly reason: string }
  /** Data was read under a break-the-glass grant. */
  | { readonly kind: 'grant-used' }
  /** Hospitals were asked for records only possibly matched to a patient (`includePossibleMatches`). */
  | { readonly kind: 'possible-matches-included' }
  /** Patients with an empty record locator were sent to the fallback sources. */
  | { readonly kind: 'locator-fallback'; readonly patients: number; readonly sourcesAsked: number }
  /** An aggregate (`@disclose` field) left the gateway through disclosure control (docs/analytics.md). */
  | { readonly kind: 'aggregate-released'; readonly aggregate: AuditAggregate };

export class RequestEvents {
  private readonly events: RequestEvent[] = [];

  emit(event: RequestEvent): void {
    this.events.push(event);
  }

  /** Every event so far, in the order reported. */
  list(): readonly RequestEvent[] {
    return this.events;
  }
}

/** What the audit record and the extensions need from a request's events. */
export interface RequestEventSummary {
  readonly patients: ReadonlySet<string>;
  readonly sources: ReadonlySet<string>;
  /** The reason of the first break-the-glass of the request, if any. */
  readonly breakTheGlassReason?: string;
  readonly usedGrant: boolean;
  /** Records only possibly matched to a patient were asked for (audit flag `possible-matches`). */
  readonly possibleMatches: boolean;
  /** The largest fallback of the request, if any. */
  readonly locatorFallback?: { readonly patients: number; readonly sourcesAsked: number };
  /** Every aggregate the request released, in the order reported; absent when none. */
  readonly aggregates?: readonly AuditAggregate[];
}

/** Folds the events of one request. Pure. */
export function summarizeRequestEvents(events: readonly RequestEvent[]): RequestEventSummary {
  const patients = new Set<string>();
  const sources = new Set<string>();
  let breakTheGlassReason: string | undefined;
  let usedGrant = false;
  let possibleMatches = false;
  let locatorFallback: { patients: number; sourcesAsked: number } | undefined;
  const aggregates: AuditAggregate[] = [];
  for (const event of events) {
    switch (event.kind) {
      case 'patient-touched':
        patients.add(event.nationalId);
        break;
      case 'source-asked':
        sources.add(event.source);
        break;
      case 'glass-broken':
        patients.add(event.nationalId);
        breakTheGlassReason ??= event.reason;
        break;
      case 'grant-used':
        usedGrant = true;
        break;
      case 'possible-matches-included':
        possibleMatches = true;
        break;
      case 'locator-fallback':
        if (!locatorFallback || event.patients > locatorFallback.patients) locatorFallback = { patients: event.patients, sourcesAsked: event.sourcesAsked };
        break;
      case 'aggregate-released':
        aggregates.push(event.aggregate);
        break;
    }
  }
  return {
    patients,
    sources,
    ...(breakTheGlassReason === undefined ? {} : { breakTheGlassReason }),
    usedGrant,
    possibleMatches,
    ...(locatorFallback ? { locatorFallback } : {}),
    ...(aggregates.length > 0 ? { aggregates } : {}),
  };
}
