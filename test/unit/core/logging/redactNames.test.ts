import { redactNames } from '../../../../core/logging/redactNames';

describe('redactNames', () => {
  it('replaces runs of capitalized words, with Vietnamese diacritics, and keeps the rest', () => {
    expect(redactNames('lookup of Nguyễn Văn Thử failed')).toBe('lookup of [name] failed');
    expect(redactNames('patient ĐẶNG THỊ MAI')).toBe('patient [name]');
    expect(redactNames('Trần Thị Bích Ngọc, Lê An: both missing')).toBe('[name], [name]: both missing');
  });

  it('leaves single capitalized words, codes and lowercase text alone', () => {
    expect(redactNames('Timeout: relation "his.patients" is locked (INTERNAL_SERVER_ERROR)')).toBe('Timeout: relation "his.patients" is locked (INTERNAL_SERVER_ERROR)');
  });
});
