import { encounterClassOf } from '../../../../adapters/xml130/encounterClassOf';

describe('encounterClassOf', () => {
  it('maps MA_LOAI_KCB codes of QĐ 824 App. 1, with or without the leading zero of QĐ 4210', () => {
    expect(encounterClassOf('01', '1.1')).toBe('AMBULATORY');
    expect(encounterClassOf('1', null)).toBe('AMBULATORY');
    expect(encounterClassOf('03', '1.1')).toBe('INPATIENT');
    expect(encounterClassOf('3', null)).toBe('INPATIENT');
    expect(encounterClassOf('04', null)).toBe('SHORT_STAY');
    expect(encounterClassOf('09', null)).toBe('SHORT_STAY');
    expect(encounterClassOf('07', null)).toBe('AMBULATORY');
    expect(encounterClassOf('10', null)).toBe('OTHER');
  });

  it('makes any encounter of patient category 2 (cấp cứu) an emergency', () => {
    expect(encounterClassOf('01', '2')).toBe('EMERGENCY');
    expect(encounterClassOf('03', '2')).toBe('EMERGENCY');
  });

  it('falls back to OTHER for a missing or unknown type', () => {
    expect(encounterClassOf(null, '1.1')).toBe('OTHER');
    expect(encounterClassOf('99', '1.1')).toBe('OTHER');
  });
});
