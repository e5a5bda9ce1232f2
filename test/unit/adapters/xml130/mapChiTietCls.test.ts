import { mapChiTietCls } from '../../../../adapters/xml130/mapChiTietCls';

const rows = (...items: Record<string, string>[]): ReadonlyMap<string, string>[] => items.map((item) => new Map(Object.entries(item)));

describe('mapChiTietCls', () => {
  it('keeps a result without value or conclusion as registered, not final', () => {
    const mapping = mapChiTietCls(rows({ MA_LK: 'LK1', STT: '1', MA_DICH_VU: '22.0120.1370', NGAY_KQ: '202403011000' }), 'LK1');
    expect(mapping.kind === 'mapped' && mapping.value[0]).toMatchObject({
      status: 'REGISTERED', code: { system: 'urn:oid:vn:moh:dmdc:dvkt', code: '22.0120.1370', display: null }, valueQuantity: null, valueString: null,
    });
  });

  it('requires a code: MA_CHI_SO or, without it, MA_DICH_VU', () => {
    expect(mapChiTietCls(rows({ MA_LK: 'LK1', STT: '2', GIA_TRI: '5' }), 'LK1'))
      .toEqual({ kind: 'invalid', reasons: ['XML4 field 3 MA_DICH_VU (row STT 2) is missing (mandatory)'] });
  });
});
