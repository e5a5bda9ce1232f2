import { createHmac, randomBytes } from 'node:crypto';

/** Bytes of a cohort pseudonym key (HMAC-SHA-256). */
export const COHORT_KEY_BYTES = 32;

/**
 * The key of one cohort question's pseudonyms: random, drawn when the first page is asked and
 * carried to the next pages only inside the sealed cursor (gateway/analytics/CohortCursorCodec.ts),
 * so a person has one pseudonym across the pages of a question and an unrelated one in any other.
 */
export function newQuestionPseudonymKey(): Buffer {
  return randomBytes(COHORT_KEY_BYTES);
}

/**
 * The key of an analytics project's pseudonyms: derived from the project's server-side secret (in
 * the gateway's configuration, never sent by a client; the client names the project), so that
 * the project's analysts can link a person across their questions and nobody outside it can.
 * The project id is part of the derivation, so two projects never share pseudonyms even if an
 * operator reused a secret.
 */
export function projectPseudonymKey(projectSecret: Buffer, projectId: string): Buffer {
  if (projectSecret.length < COHORT_KEY_BYTES) throw new RangeError(`a project secret must be at least ${COHORT_KEY_BYTES} bytes`);
  return createHmac('sha256', projectSecret).update(`patient-graph cohort pseudonym key\0${projectId}`).digest();
}

/**
 * A person's pseudonym in a cohort answer: HMAC-SHA-256 (128 bits, base64url) of the network's
 * keyed pseudonym (adapters/sdk/population/patientPseudonym.ts, which the gateway receives from
 * the sources and never releases) under the question's or the project's key. The network
 * pseudonym is the same for every question; this one is not, unless the key is the project's.
 */
export function cohortPseudonym(key: Buffer, networkPseudonym: string): string {
  return createHmac('sha256', key).update(networkPseudonym).digest('base64url').slice(0, 22);
}
