import { mapChiTietDvkt } from '../../../../adapters/xml130/mapChiTietDvkt';

const rows = (...items: Record<string, string>[]): ReadonlyMap<string, string>[] => items.map((item) => new Map(Object.entries(item)));

describe('mapChiTietDvkt', () => {
  it('codes a service by its DVKT code without MA_PTTT_QT, marks an abandoned one (_TB) stopped, and counts supply rows', () => {
    const mapping = mapChiTietDvkt(rows(
      { MA_LK: 'LK1', STT: '1', MA_DICH_VU: '10.0448.0535_TB', TEN_DICH_VU: 'Cắt ruột thừa nội soi', NGAY_YL: '202403011000' },
      { MA_LK: 'LK1', STT: '2', MA_VAT_TU: 'N03.02.070', TEN_VAT_TU: 'Găng tay' },
      { STT: '3', MA_DICH_VU: '18.0066.0028', MA_PTTT_QT: '87.44;88.76', NGAY_YL: '202403011100', NGAY_TH_YL: '202403011130' },
    ), 'LK1');
    expect(mapping).toEqual({ kind: 'mapped', value: { supplyRows: 1, procedures: [
      { id: 'LK1:XML3:1', status: 'STOPPED', code: { system: 'urn:oid:vn:moh:dmdc:dvkt', code: '10.0448.0535_TB', display: 'Cắt ruột thừa nội soi' }, performedDateTime: '2024-03-01T10:00:00+07:00', encounterId: 'LK1' },
      { id: 'LK1:XML3:3', status: 'COMPLETED', code: { system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '87.44', display: null }, performedDateTime: '2024-03-01T11:30:00+07:00', encounterId: 'LK1' },
    ] } });
  });

  it('refuses rows with the same STT', () => {
    expect(mapChiTietDvkt(rows({ STT: '1', MA_DICH_VU: 'A' }, { STT: '1', MA_DICH_VU: 'B' }), 'LK1'))
      .toEqual({ kind: 'invalid', reasons: ['XML3 field 2 STT 1 appears more than once'] });
  });
});
