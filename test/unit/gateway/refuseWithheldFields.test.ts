import { WITHHELD_CATEGORIES_KEY } from '../../../core/consent/consentRepresentationKeys';
import type { AccessRuling } from '../../../gateway/network/applyAccessRules';
import { INTERNAL_ALIASES } from '../../../gateway/network/internalAliases';
import type { MergeRule } from '../../../gateway/network/mergeRules';
import { refuseWithheldFields } from '../../../gateway/network/refuseWithheldFields';
import type { FieldMergePlan } from '../../../gateway/network/SourceOperation';
import { withholdSensitiveItems } from '../../../gateway/network/withholdSensitiveItems';

const CONCAT: MergeRule = { strategy: 'CONCAT', key: null, orderBy: null, direction: 'ASC', limitArg: null, disclose: null };
const FIELDS: FieldMergePlan[] = [
  { kind: 'key', responseKey: 'nationalId', fieldName: 'nationalId' },
  { kind: 'merge', responseKey: 'studies', rule: { ...CONCAT, sensitiveCode: ['reasonCode'] } },
  { kind: 'merge', responseKey: 'findings', rule: CONCAT },
];
const A = '001234567890';
const B = '001234567891';

function ruling(overrides: Partial<AccessRuling>): AccessRuling {
  return {
    representations: [
      { __typename: 'Patient', nationalId: A, facilityCodes: ['01091', '01092'] },
      { __typename: 'Patient', nationalId: B, facilityCodes: ['01091', '01092'] },
    ],
    outsideCare: [],
    withheldFacilities: new Map(),
    usedBreakTheGlass: false,
    ...overrides,
  };
}

const entities = (): Record<string, unknown>[] => [
  { nationalId: A, studies: [{ modality: 'CT' }], findings: ['a'] },
  { nationalId: B, studies: [{ modality: 'MR' }], findings: ['b'] },
];

describe('refuseWithheldFields (a registered contract refuses field by field)', () => {
  it('leaves patients nobody withheld as they are, without errors', () => {
    expect(refuseWithheldFields(entities(), FIELDS, ruling({}))).toEqual({ entities: entities(), errors: [] });
  });

  it('nulls every field of a patient outside the care relationship, FORBIDDEN at each field, and keeps the other patient', () => {
    const { entities: result, errors } = refuseWithheldFields(entities(), FIELDS, ruling({
      outsideCare: [1],
      representations: [{ __typename: 'Patient', nationalId: A, facilityCodes: ['01091'] }, { __typename: 'Patient', nationalId: B, facilityCodes: [], locatorRestricted: true }],
    }));
    expect(result).toEqual([entities()[0], { nationalId: B, studies: null, findings: null }]);
    expect(errors.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['FORBIDDEN', ['_entities', 1, 'studies']],
      ['FORBIDDEN', ['_entities', 1, 'findings']],
    ]);
  });

  it('keeps the other sources’ items when consent withholds some sources, and nulls the fields when it withholds all', () => {
    const some = refuseWithheldFields(entities(), FIELDS, ruling({
      withheldFacilities: new Map([[0, ['01092']]]),
      representations: [{ __typename: 'Patient', nationalId: A, facilityCodes: ['01091'] }, { __typename: 'Patient', nationalId: B, facilityCodes: ['01091', '01092'] }],
    }));
    expect(some.entities).toEqual(entities());
    expect(some.errors.map((e) => [e.extensions?.code, e.extensions?.facilityCode, e.path])).toEqual([
      ['CONSENT_DENIED', '01092', ['_entities', 0, 'studies']],
      ['CONSENT_DENIED', '01092', ['_entities', 0, 'findings']],
    ]);
    const all = refuseWithheldFields(entities(), FIELDS, ruling({
      withheldFacilities: new Map([[0, ['01091', '01092']]]),
      representations: [{ __typename: 'Patient', nationalId: A, facilityCodes: [], locatorRestricted: true }, { __typename: 'Patient', nationalId: B, facilityCodes: ['01091'] }],
    }));
    expect(all.entities[0]).toEqual({ nationalId: A, studies: null, findings: null });
    expect(all.entities[1]).toEqual(entities()[1]);
  });

  it('withholds a field whose items carry no code when the patient withholds a sensitive category; a coded field stays', () => {
    const { entities: result, errors } = refuseWithheldFields(entities(), FIELDS, ruling({
      representations: [{ __typename: 'Patient', nationalId: A, facilityCodes: ['01091'], [WITHHELD_CATEGORIES_KEY]: ['HIV'] }, { __typename: 'Patient', nationalId: B, facilityCodes: ['01091'] }],
    }));
    expect(result).toEqual([{ nationalId: A, studies: [{ modality: 'CT' }], findings: null }, entities()[1]]);
    expect(errors).toEqual([expect.objectContaining({ path: ['_entities', 0, 'findings'], extensions: { code: 'CONSENT_DENIED', categories: ['HIV'] } })]);
  });
});

describe('withholdSensitiveItems', () => {
  const item = (code: unknown) => ({ modality: 'CT', [INTERNAL_ALIASES.sensitiveCode]: code });

  it('drops items whose code (or any of a list of codes) falls in a withheld category, keeps uncoded ones, and leaves other lists alone', () => {
    const entity = { studies: [item('B20.1'), item(null), item('J18'), item(['J18', 'F32'])], findings: ['F32 in free text'] };
    expect(withholdSensitiveItems(entity, FIELDS, ['HIV', 'MENTAL_HEALTH'])).toEqual({ studies: [item(null), item('J18')], findings: ['F32 in free text'] });
    expect(withholdSensitiveItems(entity, FIELDS, [])).toBe(entity);
  });
});
