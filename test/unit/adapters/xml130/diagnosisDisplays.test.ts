import { diagnosisDisplays } from '../../../../adapters/xml130/diagnosisDisplays';

describe('diagnosisDisplays', () => {
  it('pairs parts and codes in order when they are equally many', () => {
    expect(diagnosisDisplays(['J18.9', 'I10'], 'Viêm phổi; Tăng huyết áp')).toEqual(['Viêm phổi', 'Tăng huyết áp']);
  });

  it('uses parts that start with a code for that code, whatever their order', () => {
    expect(diagnosisDisplays(['J18.9', 'I10', 'E11.9'], 'I10 - Tăng huyết áp; J18.9: Viêm phổi; theo dõi sốt'))
      .toEqual(['Viêm phổi', 'Tăng huyết áp', null]);
  });

  it('does not take a longer code for a shorter one', () => {
    expect(diagnosisDisplays(['J18', 'J18.9'], 'J18.9 Viêm phổi thùy')).toEqual([null, 'Viêm phổi thùy']);
  });

  it('gives a single code the whole text, and otherwise the first part to the main diagnosis', () => {
    expect(diagnosisDisplays(['J18.9'], 'Viêm phổi; sốt cao')).toEqual(['Viêm phổi; sốt cao']);
    expect(diagnosisDisplays(['E11.9', 'I10', 'E78.5'], 'Đái tháo đường type 2')).toEqual(['Đái tháo đường type 2', null, null]);
  });

  it('gives nothing when there is no text', () => {
    expect(diagnosisDisplays(['J18.9', 'I10'], null)).toEqual([null, null]);
  });
});
