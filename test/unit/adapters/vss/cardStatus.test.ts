import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { cardStatusOf, isCardFound, isUsableCard, VSS_RESULT_CODES } from '../../../../adapters/vss/cardStatus';
import { loadContract } from '../../../../contracts/loadContract';

/** docs/standards.md §6.3, written out here so a code dropped from the table fails the test. */
const EXPECTED: Readonly<Record<string, string>> = {
  '000': 'VALID',
  '001': 'VALID_CHECK_PAPERS',
  '002': 'VALID_CHECK_PAPERS',
  '003': 'EXPIRED_NEW_CARD_ISSUED',
  '004': 'VALID_NEW_CARD_ISSUED',
  '010': 'EXPIRED',
  '050': 'NOT_FOUND',
  '051': 'NOT_FOUND',
  '052': 'NOT_FOUND',
  '053': 'NOT_FOUND',
  '054': 'LOOKUP_NOT_AUTHORIZED',
  '055': 'LOOKUP_NOT_AUTHORIZED',
  '060': 'NAME_MISMATCH',
  '061': 'NAME_MISMATCH',
  '070': 'BIRTH_DATE_MISMATCH',
  '100': 'SERVICE_ERROR',
  '101': 'SERVICE_ERROR',
  '110': 'REVOKED',
  '120': 'SUSPENDED',
  '121': 'SUSPENDED',
  '122': 'SUSPENDED',
  '123': 'SUSPENDED',
  '124': 'SUSPENDED',
  '130': 'CHILD_WITHOUT_CARD',
  '205': 'SERVICE_ERROR',
  '401': 'SERVICE_ERROR',
  '500': 'SERVICE_ERROR',
};

describe('cardStatusOf', () => {
  it.each(Object.entries(EXPECTED))('maps maKetQua %s to %s', (code, status) => {
    expect(cardStatusOf(code)).toBe(status);
  });

  it('knows exactly the codes of §6.3', () => {
    expect(Object.keys(VSS_RESULT_CODES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(['999', '', '00', '05', 'abc', '0000', ' 000'])('maps the unknown code %j to SERVICE_ERROR', (code) => {
    expect(cardStatusOf(code)).toBe('SERVICE_ERROR');
  });

  it('only ever returns values of the contract enum InsuranceCardStatus', () => {
    const contract = parse(loadContract('insurance').sdl);
    const enumNode = contract.definitions.find(
      (d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'InsuranceCardStatus',
    );
    const values = new Set(enumNode?.values?.map((v) => v.name.value));
    for (const code of [...Object.keys(EXPECTED), 'unknown']) expect(values.has(cardStatusOf(code))).toBe(true);
  });

  it('treats only 000–004 as a usable card', () => {
    const usable = Object.keys(EXPECTED).filter((code) => isUsableCard(cardStatusOf(code)));
    expect(usable.sort()).toEqual(['000', '001', '002', '003', '004']);
    expect(isUsableCard(cardStatusOf('777'))).toBe(false);
  });
});

describe('isCardFound', () => {
  it('is true for codes that carry card facts (valid, expired, revoked, reduced) and false otherwise', () => {
    const found = Object.keys(EXPECTED).filter((code) => isCardFound(cardStatusOf(code)));
    expect(found.sort()).toEqual(['000', '001', '002', '003', '004', '010', '110', '120', '121', '122', '123', '124']);
  });
});
