import type { Principal } from '../../../core/security/Principal';
import { applyAccessRules } from '../../../gateway/network/applyAccessRules';

const clinician: Principal = { sub: 'bs-1', role: 'clinician', facilityCode: '01901', scopes: [], purposeOfUse: 'treatment', tokenId: null };
const analyst: Principal = { ...clinician, sub: 'an-1', role: 'analyst', facilityCode: null, purposeOfUse: 'research' };
const rep = (nationalId: string, facilityCodes: string[]) => ({ __typename: 'Patient', nationalId, facilityCodes });
const none = new Map();

describe('applyAccessRules', () => {
  it('lets a clinician read patients in their facility’s care and stops the others before routing', () => {
    const ruling = applyAccessRules([rep('001085000001', ['01901', '79902']), rep('001085000002', ['79902'])], { principal: clinician, consent: none, grants: new Set() });
    expect(ruling.outsideCare).toEqual([1]);
    expect(ruling.representations[0]?.facilityCodes).toEqual(['01901', '79902']);
    expect(ruling.representations[1]?.facilityCodes).toEqual([]);
    expect(ruling.usedBreakTheGlass).toBe(false);
  });

  it('lets a clinician with a break-the-glass grant through and says so', () => {
    const ruling = applyAccessRules([rep('001085000002', ['79902'])], { principal: clinician, consent: none, grants: new Set(['001085000002']) });
    expect(ruling.outsideCare).toEqual([]);
    expect(ruling.representations[0]?.facilityCodes).toEqual(['79902']);
    expect(ruling.usedBreakTheGlass).toBe(true);
  });

  it('removes opted-out facilities from the locator and attaches the withheld facilities and categories for the sources', () => {
    const consent = new Map([['001085000001', { optedOutFacilityCodes: ['79902'], optedOutCategories: ['HIV' as const], updatedAt: null }]]);
    const ruling = applyAccessRules([rep('001085000001', ['01901', '79902'])], { principal: analyst, consent, grants: new Set() });
    expect(ruling.representations[0]).toEqual({ __typename: 'Patient', nationalId: '001085000001', facilityCodes: ['01901'], _pgWithheldCategories: ['HIV'], _pgWithheldFacilities: ['79902'] });
    expect([...ruling.withheldFacilities.entries()]).toEqual([[0, ['79902']]]);
  });

  it('does not apply a patient’s consent to the patient reading their own record', () => {
    const consent = new Map([['001085000001', { optedOutFacilityCodes: ['79902'], optedOutCategories: [], updatedAt: null }]]);
    const self: Principal = { ...analyst, role: 'patient', sub: '001085000001' };
    expect(applyAccessRules([rep('001085000001', ['79902'])], { principal: self, consent, grants: new Set() }).representations[0]?.facilityCodes).toEqual(['79902']);
  });

  it('applies the access model to every role: an auditor only with a grant, a patient only to their own record, a registrar to insurance', () => {
    const auditor: Principal = { ...analyst, sub: 'au-1', role: 'auditor', purposeOfUse: 'operations' };
    const patients = [rep('001085000001', ['01901']), rep('001085000002', ['79902'])];
    expect(applyAccessRules(patients, { principal: auditor, consent: none, grants: new Set() }).outsideCare).toEqual([0, 1]);
    const granted = applyAccessRules(patients, { principal: auditor, consent: none, grants: new Set(['001085000002']) });
    expect([granted.outsideCare, granted.usedBreakTheGlass]).toEqual([[0], true]);
    const self: Principal = { ...analyst, role: 'patient', sub: '001085000001' };
    expect(applyAccessRules(patients, { principal: self, consent: none, grants: new Set(['001085000002']) }).outsideCare).toEqual([1]);
    const registrar: Principal = { ...clinician, sub: 'reg-1', role: 'registrar', purposeOfUse: 'operations' };
    expect(applyAccessRules(patients, { principal: registrar, consent: none, grants: new Set(), groups: ['insurance', 'clinical'] }).outsideCare).toEqual([]);
  });

  it('holds a clinician outside treatment to nothing patient-scoped, grant or not', () => {
    const research: Principal = { ...clinician, purposeOfUse: 'research' };
    expect(applyAccessRules([rep('001085000001', ['01901'])], { principal: research, consent: none, grants: new Set(['001085000001']) }).outsideCare).toEqual([0]);
  });
});
