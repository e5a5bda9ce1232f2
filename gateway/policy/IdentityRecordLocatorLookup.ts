import type { SourceClients } from '../network/SourceClients';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Principal } from '../../core/security/Principal';
import { fetchFromSource } from '../network/fetchFromSource';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { RecordLocatorLookup } from './RecordLocatorLookup';

const LOCATOR_QUERY = 'query PatientGraphCareCheck($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient { nationalId facilityCodes } } }';

/**
 * Asks the identity subgraph (the record locator) over the same signed link as every other fetch,
 * one batched `_entities` request (Apollo Federation entity resolution) per operation.
 */
export class IdentityRecordLocatorLookup implements RecordLocatorLookup {
  readonly sourceCode: string;

  constructor(
    private readonly identity: RegisteredSource,
    private readonly clients: SourceClients,
  ) {
    this.sourceCode = identity.code;
  }

  async facilityCodesOf(nationalIds: readonly string[], principal: Principal): Promise<ReadonlyMap<string, readonly string[]>> {
    const located = new Map<string, readonly string[]>();
    if (nationalIds.length === 0) return located;
    const answer = await fetchFromSource(this.identity, {
      query: LOCATOR_QUERY,
      variables: { representations: nationalIds.map((nationalId) => ({ __typename: 'Patient', nationalId })) },
      operationName: 'PatientGraphCareCheck',
      principal,
    }, this.clients);
    if (answer.kind === 'failed') throw answer.error;
    const entities = (answer.body.data as { _entities?: unknown } | null | undefined)?._entities;
    if (!Array.isArray(entities) || entities.length !== nationalIds.length || (answer.body.errors ?? []).length > 0) {
      throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'The patient index did not say where the patient was treated, so the care relationship could not be checked.', { source: this.identity.code });
    }
    entities.forEach((entity: unknown, index) => {
      if (entity === null || typeof entity !== 'object') return;
      const { nationalId, facilityCodes } = entity as { nationalId?: unknown; facilityCodes?: unknown };
      if (typeof nationalId !== 'string' || nationalId !== nationalIds[index] || !Array.isArray(facilityCodes)) return;
      located.set(nationalId, facilityCodes.filter((code): code is string => typeof code === 'string'));
    });
    return located;
  }
}
