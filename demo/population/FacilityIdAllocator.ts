/**
 * Local ids of one facility: `BN0001234` patient numbers (MA_BN) and `ENC-000123`-style resource
 * ids, unique within the facility (the clinical SDK prefixes the facility code when they leave).
 */
export class FacilityIdAllocator {
  private nextPatient: number;
  private readonly counters = new Map<string, number>();

  /** `firstPatientNumber` varies per facility so the same MA_BN rarely means the same person twice. */
  constructor(firstPatientNumber: number) {
    this.nextPatient = firstPatientNumber;
  }

  patientId(): string {
    const id = `BN${String(this.nextPatient).padStart(7, '0')}`;
    this.nextPatient += 1;
    return id;
  }

  resourceId(prefix: 'ENC' | 'COND' | 'OBS' | 'MED' | 'PROC' | 'ALG'): string {
    const next = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, next);
    return `${prefix}-${String(next).padStart(6, '0')}`;
  }
}
