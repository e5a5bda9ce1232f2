import { mapCardCheckResponse } from '../../../../adapters/vss/mapCardCheckResponse';
import type { CardCheckResponse } from '../../../../adapters/vss/vssProtocol';

const FOUND: CardCheckResponse = {
  maKetQua: '004',
  ghiChu: 'Thẻ cũ còn giá trị sử dụng, đã được cấp thẻ mới.',
  maThe: 'DN4790000000001',
  hoTen: 'Trần Thị Mẫu',
  ngaySinh: '05/03/1980',
  gioiTinh: 'Nữ',
  diaChi: 'Phường 12, Quận Tân Bình, TP Hồ Chí Minh',
  maDKBD: '79902',
  cqBHXH: 'BHXH TP Hồ Chí Minh',
  gtTheTu: '01/01/2026',
  gtTheDen: '31/12/2026',
  maKV: 'K2',
  ngayDu5Nam: '01/07/2023',
  maSoBHXH: '7900000001',
  maTheCu: '',
  maTheMoi: 'HT3790000000001',
  gtTheTuMoi: '01/08/2026',
  gtTheDenMoi: '31/07/2027',
  maDKBDMoi: '79902',
  tenDKBDMoi: 'Bệnh viện Đa khoa Sài Gòn Xanh',
  dsLichSuKCB2018: [
    { maHoSo: 'A', maCSKCB: '79902', ngayVao: '202401150830', ngayRa: '202401151000', tenBenh: 'Viêm họng cấp', tinhTrang: '1', kqDieuTri: '1', lyDoVV: '1' },
    { maHoSo: 'B', maCSKCB: '01901', ngayVao: '202505201400', ngayRa: '202505251000', tenBenh: 'Viêm phổi', tinhTrang: '2', kqDieuTri: '2', lyDoVV: '4' },
    { maHoSo: 'C', maCSKCB: '48903', ngayVao: 'garbled', ngayRa: null, tinhTrang: '9', kqDieuTri: null },
  ],
  dsLichSuKT2018: [{ userKT: '79902_BV', thoiGianKT: '202606011200', thongBao: 'ok', maLoi: '000' }],
};

describe('mapCardCheckResponse', () => {
  it('maps a found card: ISO dates, gender, new card, visits newest first with +07:00 times', () => {
    const result = mapCardCheckResponse(FOUND);
    if (result.kind !== 'card') throw new Error('expected a card');
    expect(result.status).toBe('VALID_NEW_CARD_ISSUED');
    expect(result.card).toMatchObject({
      number: 'DN4790000000001',
      birthDate: '1980-03-05',
      gender: 'FEMALE',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      fiveYearsContinuousFrom: '2023-07-01',
      previousCardNumber: null,
      newCard: { number: 'HT3790000000001', validFrom: '2026-08-01', validTo: '2027-07-31', registeredFacilityCode: '79902' },
    });
    expect(result.visits.map((v) => v.recordId)).toEqual(['B', 'A', 'C']);
    expect(result.visits[0]).toEqual({
      recordId: 'B',
      facilityCode: '01901',
      facilityName: null,
      admittedAt: '2025-05-20T14:00:00+07:00',
      dischargedAt: '2025-05-25T10:00:00+07:00',
      diagnosisText: 'Viêm phổi',
      dischargeStatus: 'TRANSFERRED',
      treatmentResult: 'IMPROVED',
      visitReasonCode: '4',
    });
    expect(result.visits[2]).toMatchObject({ admittedAt: null, dischargeStatus: 'UNKNOWN', treatmentResult: 'UNKNOWN' });
    expect(result.lookups).toEqual([{ user: '79902_BV', at: '2026-06-01T12:00:00+07:00', message: 'ok', errorCode: '000' }]);
  });

  it('reports a mismatch as rejected, with no card facts even when the server sent some', () => {
    const result = mapCardCheckResponse({ ...FOUND, maKetQua: '060', ghiChu: 'Họ tên không đúng.' });
    expect(result).toEqual({ kind: 'rejected', resultCode: '060', status: 'NAME_MISMATCH', message: 'Họ tên không đúng.' });
  });

  it('reports an unknown code as a rejected SERVICE_ERROR', () => {
    expect(mapCardCheckResponse({ maKetQua: '999' })).toEqual({ kind: 'rejected', resultCode: '999', status: 'SERVICE_ERROR', message: null });
  });

  it('keeps a revoked card a found card with status REVOKED (facts, not validity)', () => {
    const result = mapCardCheckResponse({ maKetQua: '110', maThe: 'DN4790000000001', dsLichSuKCB2018: null });
    expect(result).toMatchObject({ kind: 'card', status: 'REVOKED', visits: [] });
  });
});
