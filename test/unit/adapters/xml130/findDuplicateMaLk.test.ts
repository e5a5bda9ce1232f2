import { findDuplicateMaLk } from '../../../../adapters/xml130/findDuplicateMaLk';
import { Xml130Index } from '../../../../adapters/xml130/Xml130Index';
import type { Xml130Hoso } from '../../../../adapters/xml130/Xml130Hoso';

function episode(maLk: string): Xml130Hoso {
  const start = '2024-01-05T08:00:00+07:00';
  return {
    maLk,
    patient: { localId: `BN-${maLk}`, nationalId: null, insuranceNumber: null, fullName: 'Ngô Văn Tâm', birthDate: '1980-01-02', gender: 'MALE' },
    encounter: { id: maLk, status: 'FINISHED', class: 'AMBULATORY', period: { start, end: start }, reasonText: null, diagnoses: [], departmentCodes: [], cost: null },
    conditions: [],
    medications: [],
    procedures: [],
    observations: [],
    tables: { XML1: 1 },
    supplyRows: 0,
  };
}

describe('findDuplicateMaLk', () => {
  it('finds nothing when every MA_LK is held once', () => {
    expect(findDuplicateMaLk([{ path: 'a.xml', mtimeMs: 1, maLks: ['L1', 'L2'] }, { path: 'b.xml', mtimeMs: 2, maLks: ['L3'] }])).toEqual([]);
  });

  it('reports the copy in the older file and names the most recently changed file as the one used', () => {
    const replaced = findDuplicateMaLk([
      { path: 'new.xml', mtimeMs: 200, maLks: ['L1'] },
      { path: 'old.xml', mtimeMs: 100, maLks: ['L1', 'L2'] },
    ]);
    expect(replaced).toEqual([{ path: 'old.xml', keptIn: 'new.xml', problem: { maLk: 'L1', reason: expect.stringContaining('in new.xml; that copy is used') } }]);
  });

  it('breaks a tie of modification times by path, and within a file keeps the later HOSO', () => {
    expect(findDuplicateMaLk([{ path: 'b.xml', mtimeMs: 5, maLks: ['L1'] }, { path: 'a.xml', mtimeMs: 5, maLks: ['L1'] }]).map((r) => [r.path, r.keptIn])).toEqual([['a.xml', 'b.xml']]);
    expect(findDuplicateMaLk([{ path: 'a.xml', mtimeMs: 5, maLks: ['L1', 'L1', 'L1'] }])).toEqual([
      { path: 'a.xml', keptIn: 'a.xml', problem: { maLk: 'L1', reason: expect.stringContaining('later in this file') } },
      { path: 'a.xml', keptIn: 'a.xml', problem: { maLk: 'L1', reason: expect.stringContaining('later in this file') } },
    ]);
  });

  it('agrees with the index on how many copies were replaced', () => {
    const files = [
      { path: 'x.xml', mtimeMs: 1, maLks: ['L1', 'L2'] },
      { path: 'y.xml', mtimeMs: 2, maLks: ['L2', 'L3', 'L3'] },
    ];
    const index = Xml130Index.build(files.map((f) => ({ path: f.path, mtimeMs: f.mtimeMs, hoso: f.maLks.map(episode) })));
    expect(findDuplicateMaLk(files)).toHaveLength(index.replacedHoso);
  });
});
