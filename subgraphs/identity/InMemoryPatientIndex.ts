import type { IndexedPatient, PatientIndex, PatientPage } from './PatientIndex';

/** The embedded patient index: a sorted array plus a map, built once. */
export class InMemoryPatientIndex implements PatientIndex {
  private readonly sorted: readonly IndexedPatient[];
  private readonly byId: ReadonlyMap<string, IndexedPatient>;

  constructor(patients: readonly IndexedPatient[]) {
    this.sorted = [...patients].sort((a, b) => (a.nationalId < b.nationalId ? -1 : a.nationalId > b.nationalId ? 1 : 0));
    this.byId = new Map(this.sorted.map((p) => [p.nationalId, p]));
    if (this.byId.size !== this.sorted.length) throw new Error('the patient index holds a national ID twice');
  }

  async get(nationalId: string): Promise<IndexedPatient | undefined> {
    return this.byId.get(nationalId);
  }

  async count(): Promise<number> {
    return this.sorted.length;
  }

  async page(first: number, afterNationalId: string | null): Promise<PatientPage> {
    const start = afterNationalId === null ? 0 : firstIndexAfter(this.sorted, afterNationalId);
    const patients = this.sorted.slice(start, start + first);
    return { patients, hasNextPage: start + first < this.sorted.length };
  }
}

/** Binary search: index of the first patient whose national ID sorts after `nationalId`. */
function firstIndexAfter(sorted: readonly IndexedPatient[], nationalId: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid]?.nationalId ?? '') <= nationalId) low = mid + 1;
    else high = mid;
  }
  return low;
}
