import { readFile } from 'node:fs/promises';
import { stripIgnoredCharacters } from 'graphql';
import { parsePersistedQueryManifest, type PersistedOperation } from './PersistedQueryManifest';
import { sha256Hex } from '../../core/crypto/sha256Hex';

/**
 * Texts longer than this are matched only exactly: normalizing costs a full lexing pass, and no
 * registered operation written by hand is anywhere near it.
 */
const MAX_NORMALIZED_TEXT = 64 * 1024;

/**
 * The operations a gateway in persisted-operation mode runs (docs/architecture.md §6 "persisted-query
 * safelisting"), from an Apollo persisted-query manifest. Looked up by id (the SHA-256 of the
 * body, as sent in APQ's `sha256Hash` or a `documentId`) or by full text — the exact text, or
 * the same tokens with different whitespace, commas or comments (`stripIgnoredCharacters`), which
 * do not change what an operation means.
 */
export class OperationSafelist {
  private readonly byIdIndex = new Map<string, PersistedOperation>();
  private readonly byNormalizedText = new Map<string, PersistedOperation>();

  private constructor(operations: readonly PersistedOperation[]) {
    for (const operation of operations) {
      this.byIdIndex.set(operation.id, operation);
      this.byNormalizedText.set(sha256Hex(normalize(operation.body) ?? operation.body), operation);
    }
  }

  /** From a parsed manifest; throws on a manifest that is not valid (see `parsePersistedQueryManifest`). */
  static fromManifest(json: unknown): OperationSafelist {
    return new OperationSafelist(parsePersistedQueryManifest(json).operations);
  }

  /** Reads a manifest file; throws with the path on unreadable JSON or an invalid manifest. */
  static async load(path: string): Promise<OperationSafelist> {
    const text = await readFile(path, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error: unknown) {
      throw new Error(`persisted-query manifest ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      return OperationSafelist.fromManifest(json);
    } catch (error: unknown) {
      throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * This safelist and operations the gateway itself sends (e.g. the FHIR `$everything` route's
   * query): they are no client's document, so no manifest lists them, yet enforcing must not
   * refuse them. Keeps the manifest's operation for an id both define.
   */
  including(operations: readonly Omit<PersistedOperation, 'id'>[]): OperationSafelist {
    const own = operations.map((operation) => ({ ...operation, id: sha256Hex(operation.body) }));
    return new OperationSafelist([...own, ...this.byIdIndex.values()]);
  }

  get size(): number {
    return this.byIdIndex.size;
  }

  /** By id: lower-case hex SHA-256, optionally prefixed `sha256:` (GraphQL-over-HTTP `documentId`). */
  byId(id: string): PersistedOperation | undefined {
    return this.byIdIndex.get(id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);
  }

  /** By the text a client sent. */
  byText(text: string): PersistedOperation | undefined {
    const exact = this.byIdIndex.get(sha256Hex(text));
    if (exact || text.length > MAX_NORMALIZED_TEXT) return exact;
    const normalized = normalize(text);
    return normalized === undefined ? undefined : this.byNormalizedText.get(sha256Hex(normalized));
  }
}

/** The text without ignored tokens, or undefined when it does not even lex. */
function normalize(text: string): string | undefined {
  try {
    return stripIgnoredCharacters(text);
  } catch {
    return undefined;
  }
}
