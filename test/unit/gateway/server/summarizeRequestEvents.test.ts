import { RequestEvents, summarizeRequestEvents } from '../../../../gateway/server/RequestEvents';

describe('summarizeRequestEvents', () => {
  it('folds what the data sources reported into what the audit record and the extensions need', () => {
    const events = new RequestEvents();
    events.emit({ kind: 'patient-touched', nationalId: '079085000001' });
    events.emit({ kind: 'source-asked', source: '01901' });
    events.emit({ kind: 'source-asked', source: 'identity' });
    events.emit({ kind: 'source-asked', source: '01901' });
    events.emit({ kind: 'locator-fallback', patients: 1, sourcesAsked: 10 });
    events.emit({ kind: 'locator-fallback', patients: 3, sourcesAsked: 10 });
    events.emit({ kind: 'grant-used' });
    events.emit({ kind: 'glass-broken', nationalId: '001085012345', reason: 'Unconscious patient in the emergency room' });
    events.emit({ kind: 'glass-broken', nationalId: '001085012345', reason: 'a later reason' });
    const summary = summarizeRequestEvents(events.list());
    expect([...summary.patients].sort()).toEqual(['001085012345', '079085000001']);
    expect([...summary.sources].sort()).toEqual(['01901', 'identity']);
    expect(summary).toMatchObject({ breakTheGlassReason: 'Unconscious patient in the emergency room', usedGrant: true, locatorFallback: { patients: 3, sourcesAsked: 10 } });
  });

  it('reports nothing for a request that touched nothing', () => {
    const summary = summarizeRequestEvents([]);
    expect(summary).toEqual({ patients: new Set(), sources: new Set(), usedGrant: false, possibleMatches: false });
  });
});
