import { escapeSearchValue, referenceSearchValue, tokenSearchValue } from '../../../../adapters/fhir-r4/escapeSearchValue';

describe('escapeSearchValue', () => {
  it('escapes the four FHIR search syntax characters with a backslash', () => {
    expect(escapeSearchValue('a,b|c$d\\e')).toBe('a\\,b\\|c\\$d\\\\e');
  });

  it('leaves other characters, including SQL-looking text, as they are (URL-encoding comes later)', () => {
    expect(escapeSearchValue("'; DROP TABLE benh_nhan; --")).toBe("'; DROP TABLE benh_nhan; --");
  });

  it('builds token and reference values with only the parts escaped', () => {
    expect(tokenSearchValue('urn:oid:vn:national-id', '0010|9,0')).toBe('urn:oid:vn:national-id|0010\\|9\\,0');
    expect(referenceSearchValue('Patient', 'BN$1')).toBe('Patient/BN\\$1');
  });
});
