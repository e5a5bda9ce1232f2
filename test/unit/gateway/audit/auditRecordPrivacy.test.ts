import type { AuditEntry } from '../../../../gateway/audit/AuditEntry';
import { EMPTY_CHAIN_HEAD, type AuditRecord } from '../../../../gateway/audit/AuditRecord';
import { canonicalJson } from '../../../../gateway/audit/canonicalJson';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { toFhirAuditEvent } from '../../../../gateway/audit/toFhirAuditEvent';
import { createDemoPopulation } from '../../../../demo/population/generatePopulation';
import { sampleAuditEntry } from './sampleAuditEntry';

/*
 * Type-level guarantees, checked by `npm run typecheck` (tsconfig includes test/): if the audit
 * types ever gain a member that could hold a name or a clinical value, this file stops compiling.
 */

/** Every member an audit record has; adding or removing one is a compile error here. */
const RECORD_MEMBERS: Record<keyof AuditRecord, true> = {
  time: true,
  traceId: true,
  principal: true,
  operation: true,
  fields: true,
  patients: true,
  sources: true,
  outcome: true,
  errorCodes: true,
  breakTheGlass: true,
  flags: true,
  refusals: true,
  gap: true,
  aggregates: true,
  identityRun: true,
  seq: true,
  prevHash: true,
  hash: true,
};

/**
 * The scalar leaves of a type, through arrays and nested objects; `any` and functions (methods of
 * a Date, a Map…) count as the non-scalar `symbol`, so they fail the check below.
 */
type Leaves<T> = 0 extends 1 & T
  ? symbol
  : T extends readonly (infer Item)[]
    ? Leaves<Item>
    : T extends (...args: never) => unknown
      ? symbol
      : T extends object
        ? { [K in keyof T]-?: Leaves<T[K]> }[keyof T]
        : T;
/** No member is `unknown`, `any`, a class instance or a structure a resource could hide in. */
const leavesAreScalars: [Leaves<AuditRecord>] extends [string | number | null | undefined] ? true : never = true;

const base = sampleAuditEntry();
// @ts-expect-error -- an entry has no member for a name
const withName: AuditEntry = { ...base, patientName: 'Nguyễn Văn An' };
// @ts-expect-error -- patients are national IDs, not patient objects
const withPatientObjects: AuditEntry = { ...base, patients: [{ nationalId: '001085012345', name: 'Nguyễn Văn An' }] };
// @ts-expect-error -- flags come from a closed list, so they cannot carry free text
const withFreeTextFlag: AuditEntry = { ...base, flags: ['HIV positive'] };
// @ts-expect-error -- error codes come from the registry
const withFreeTextError: AuditEntry = { ...base, errorCodes: ['patient Nguyễn Văn An not found'] };
// @ts-expect-error -- fields are schema coordinates (Type.field), not values
const withValueAsField: AuditEntry = { ...base, fields: ['I10 Tăng huyết áp'] };
// @ts-expect-error -- the outcome says how it ended, not what came back
const withResult: AuditEntry = { ...base, outcome: { data: { patient: {} } } };

describe('audit records and patient privacy', () => {
  const population = createDemoPopulation(40);
  const person = population.people.find((p) => p.records.some((r) => r.resources.conditions.length > 0 && r.resources.encounters.length > 0));
  if (!person) throw new Error('the demo population has no person with conditions');

  it('has a record shape whose every member is a code, identifier, count or hash (checked at compile time)', () => {
    expect(leavesAreScalars).toBe(true);
    expect([withName, withPatientObjects, withFreeTextFlag, withFreeTextError, withValueAsField, withResult]).toHaveLength(6);
    const record = chainAuditRecord(base, EMPTY_CHAIN_HEAD);
    expect(Object.keys(record).every((key) => key in RECORD_MEMBERS)).toBe(true);
  });

  it('keeps no name, birth date or clinical value even when a caller passes a whole patient along', () => {
    const careless = {
      ...sampleAuditEntry({ patients: [person.nationalId] }),
      name: person.name,
      birthDate: person.birthDate,
      address: person.address,
      records: person.records,
      principal: { ...base.principal, scopes: ['patient/*.read'], displayName: 'BS. Trần Thị Bình' },
    };
    const entry: AuditEntry = careless; // structural typing lets a wider object through a variable
    const record = chainAuditRecord(entry, EMPTY_CHAIN_HEAD);
    const stored = canonicalJson(record);
    const exported = JSON.stringify(toFhirAuditEvent(record));

    const secrets = [
      person.name.full,
      ...person.name.given,
      person.birthDate,
      person.address ?? '',
      'BS. Trần Thị Bình',
      ...person.records.flatMap((r) => [
        r.localPatientId,
        ...r.resources.conditions.flatMap((c) => [c.code.code, c.code.display ?? '']),
        ...r.resources.encounters.map((e) => e.reasonText ?? ''),
      ]),
    ].filter((s) => s.length >= 3);
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(exported).not.toContain(secret);
    }
    expect(record.patients).toEqual([person.nationalId]);
    expect(Object.keys(record.principal).sort()).toEqual(['facilityCode', 'purposeOfUse', 'role', 'sub', 'tokenId']);
  });
});
