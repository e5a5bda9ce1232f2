import { EnvelopeParser, type RawHoso } from '../../../../adapters/xml130/EnvelopeParser';
import { DEFAULT_XML130_LIMITS } from '../../../../adapters/xml130/Xml130Limits';
import { envelopeXml, fullHosoXml } from './claimFixtures';

describe('EnvelopeParser', () => {
  it('hands over each HOSO as soon as it closes, before the rest of the file is written', () => {
    const received: RawHoso[] = [];
    const parser = new EnvelopeParser({ limits: DEFAULT_XML130_LIMITS, onHoso: (hoso) => received.push(hoso) });
    const file = envelopeXml([fullHosoXml('LK1'), fullHosoXml('LK2'), fullHosoXml('LK3')]);
    const afterFirst = file.indexOf('</HOSO>') + '</HOSO>'.length;

    // Fed in small pieces, as a stream would: the first HOSO must be out before the second is read.
    for (let i = 0; i < afterFirst; i += 1000) parser.write(file.slice(i, Math.min(i + 1000, afterFirst)));
    expect(received.map((h) => h.ordinal)).toEqual([1]);
    expect(received[0]?.files.map((f) => f.table)).toEqual(['XML1', 'XML2', 'XML3', 'XML4', 'XML5']);

    parser.write(file.slice(afterFirst));
    parser.close();
    expect(received.map((h) => h.ordinal)).toEqual([1, 2, 3]);
    expect(parser.facilityCode).toBe('01901');
    expect(parser.declaredCount).toBe(3);
  });

  it('drops the contents of a HOSO over its budget and reports it, then reads the next HOSO', () => {
    const received: RawHoso[] = [];
    const parser = new EnvelopeParser({ limits: { ...DEFAULT_XML130_LIMITS, maxHosoBytes: 5000 }, onHoso: (hoso) => received.push(hoso) });
    const small = '<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>QUJD</NOIDUNGFILE></FILEHOSO></HOSO>';
    const large = `<HOSO>${'<FILEHOSO><LOAIHOSO>XML2</LOAIHOSO><NOIDUNGFILE>' + 'QUJD'.repeat(500) + '</NOIDUNGFILE></FILEHOSO>'.repeat(1)}`.repeat(1)
      + '<FILEHOSO><LOAIHOSO>XML3</LOAIHOSO><NOIDUNGFILE>' + 'QUJD'.repeat(1000) + '</NOIDUNGFILE></FILEHOSO></HOSO>';
    parser.write(envelopeXml([large, small]));
    parser.close();
    expect(received.map((h) => [h.ordinal, h.files.length, h.problems])).toEqual([
      [1, 0, ['the HOSO is larger than the limit of 5000 characters']],
      [2, 1, []],
    ]);
  });

  it('refuses a file whose root is not GIAMDINHHS', () => {
    const parser = new EnvelopeParser({ limits: DEFAULT_XML130_LIMITS, onHoso: () => undefined });
    expect(() => parser.write('<?xml version="1.0"?><TONG_HOP><MA_LK>1</MA_LK></TONG_HOP>')).toThrow('the root element is <TONG_HOP>, expected <GIAMDINHHS>');
  });

  it('refuses a file that declares an encoding other than UTF-8', () => {
    const parser = new EnvelopeParser({ limits: DEFAULT_XML130_LIMITS, onHoso: () => undefined });
    expect(() => parser.write('<?xml version="1.0" encoding="windows-1258"?><GIAMDINHHS/>')).toThrow(/declares encoding "windows-1258"/);
  });
});
