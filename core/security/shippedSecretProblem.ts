/**
 * Secrets that have been published in this repository (example values of docker-compose.yml and
 * deploy/ before they were required from the environment, and the development token key). They
 * stay in the git history for ever, so anyone can sign with them: the production commands refuse
 * them. Compared case-insensitively.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  'example-identity-secret-change-me-0123456789',
  'example-insurance-secret-change-me-012345678',
  'example-fhir-hospital-secret-change-me-0123',
  'example-sql-hospital-secret-change-me-01234',
  'patient-graph-development-secret--never-use-in-production',
  '0123456789abcdef0123456789abcdef',
];

/** Words that mark a value someone meant to replace. */
const PLACEHOLDER_WORDS = /example|change[-_ .]?me|placeholder|dummy|sample|replace|your[-_ ]|secret|password|passw0rd|default|insecure/i;
/** Counting or keyboard runs: typed by a person, not drawn at random. */
const SEQUENCES = /0123456789|1234567890|9876543210|abcdefghij|qwertyuiop/i;

/**
 * Why a signing secret or JWT key must not be used in production, or null when it may be: it is
 * published in this repository, or it looks like a placeholder (docs/registry.md). A secret drawn
 * at random (`openssl rand -base64 32`, `generateSigningSecret`) passes: the chance that 32 random
 * bytes spell one of these words or runs is negligible (below one in ten million).
 */
export function shippedSecretProblem(secret: string): string | null {
  const value = secret.trim();
  if (PUBLISHED_SECRETS.some((published) => published.toLowerCase() === value.toLowerCase())) {
    return 'it is published in the patient-graph repository (an example value); generate a new one, e.g. `openssl rand -base64 32`';
  }
  const word = PLACEHOLDER_WORDS.exec(value);
  if (word) return `it looks like a placeholder (it contains "${word[0]}"); generate a random one, e.g. \`openssl rand -base64 32\``;
  if (/^test/i.test(value)) return 'it looks like a test value (it starts with "test"); generate a random one, e.g. `openssl rand -base64 32`';
  if (/(.)\1{5,}/.test(value)) return 'it repeats one character six times or more; generate a random one, e.g. `openssl rand -base64 32`';
  if (SEQUENCES.test(value)) return 'it contains a counting or keyboard sequence; generate a random one, e.g. `openssl rand -base64 32`';
  if (new Set(value).size < 10) return 'it has fewer than 10 distinct characters; generate a random one, e.g. `openssl rand -base64 32`';
  return null;
}
