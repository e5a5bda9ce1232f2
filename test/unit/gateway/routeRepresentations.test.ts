import { routeRepresentations } from '../../../gateway/network/routeRepresentations';
import { StaticSourceRegistry } from '../../../gateway/sources/StaticSourceRegistry';

const registry = new StaticSourceRegistry(
  ['01001', '79001', '48001'].map((code) => ({ code, name: `H${code}`, contract: 'clinical' as const, url: `http://127.0.0.1/${code}`, timeoutMs: 1000, secret: 'x'.repeat(32) })),
);

function patient(nationalId: string, facilityCodes: string[]) {
  return { __typename: 'Patient', nationalId, facilityCodes };
}

describe('routeRepresentations', () => {
  it('sends each patient only to the facilities in its record locator, in configured order', () => {
    const route = routeRepresentations([patient('001085000001', ['48001', '01001']), patient('001085000002', ['01001'])], registry);
    expect(route.batches.map((b) => b.facilityCode)).toEqual(['01001', '48001']);
    expect(route.batches[0]?.representations.map((r) => r.nationalId)).toEqual(['001085000001', '001085000002']);
    expect(route.batches[1]?.targets).toEqual([[0]]);
  });

  it('sends a patient listed twice once per facility and answers both places', () => {
    const route = routeRepresentations([patient('001085000001', ['01001']), patient('001085000001', ['01001'])], registry);
    expect(route.batches[0]?.representations).toHaveLength(1);
    expect(route.batches[0]?.targets).toEqual([[0, 1]]);
  });

  it('reports facilities that are not registered instead of dropping them silently', () => {
    const route = routeRepresentations([patient('001085000001', ['01001', '92999'])], registry);
    expect([...route.unregistered.entries()]).toEqual([['92999', [0]]]);
  });

  it('asks no facility for a patient without locator entries', () => {
    expect(routeRepresentations([patient('001085000001', [])], registry).batches).toEqual([]);
  });

  it('sends a patient with an empty locator to the first fallback sources and says which', () => {
    const route = routeRepresentations([patient('001085000001', []), patient('001085000002', ['48001'])], registry, { fallbackSources: 2 });
    expect(route.fallback).toEqual([0]);
    expect(route.batches.map((b) => [b.facilityCode, b.targets])).toEqual([['01001', [[0]]], ['79001', [[0]]], ['48001', [[1]]]]);
  });

  it('does not fall back for a patient whose locator was emptied by the access rules', () => {
    const route = routeRepresentations([{ ...patient('001085000001', []), locatorRestricted: true }], registry, { fallbackSources: 3 });
    expect(route.batches).toEqual([]);
    expect(route.fallback).toEqual([]);
  });
});
