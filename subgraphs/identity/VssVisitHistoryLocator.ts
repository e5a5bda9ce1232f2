import type { LocatorQuery, VisitHistoryLocator } from './RecordLocator';
import type { VssClient } from '../../adapters/vss/VssClient';

/**
 * The record locator's national half: the facilities of a person's insured visits, from the VSS
 * visit history (KQNhanLichSuKCB2024 `dsLichSuKCB2018[].maCSKCB`). An uninsured person, or one VSS
 * does not match, has no VSS visits; a VSS failure is returned per person, not thrown.
 */
export class VssVisitHistoryLocator implements VisitHistoryLocator {
  constructor(private readonly vss: VssClient) {}

  async facilityCodesOf(queries: readonly LocatorQuery[]): Promise<readonly (readonly string[] | Error)[]> {
    return Promise.all(
      queries.map(async (query): Promise<readonly string[] | Error> => {
        if (!query.insuranceNumber || !query.birthDate) return [];
        try {
          const result = await this.vss.checkCard({ cardNumber: query.insuranceNumber, fullName: query.fullName, birthDate: query.birthDate });
          return result.kind === 'card' ? [...new Set(result.visits.map((v) => v.facilityCode))] : [];
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }
}
