import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_AUTH } from '../../../../gateway/auth/developmentAuth';
import { PUBLISHED_SECRETS, shippedSecretProblem } from '../../../../core/security/shippedSecretProblem';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Every value the repository's examples give a secret-like key: `secret:` in YAML, the defaults of
 * `${NAME:-default}` for *_SECRET / *_TOKEN / *_PASSWORD variables, and quoted constants of
 * test/e2e configs named like secrets. The denylist must cover what the repository publishes.
 */
function secretsPublishedInExamples(): string[] {
  const files = ['docker-compose.yml', 'README.md', ...readdirSync(join(ROOT, 'deploy')).map((f) => join('deploy', f)), ...readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f))];
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/\$\{[A-Z_]*(?:SECRET|TOKEN)[A-Z_]*:-([^}]+)\}/g)) found.add(match[1] ?? '');
    for (const match of text.matchAll(/^\s*secret:\s*"?([^"\s${][^"\s]*)"?\s*$/gm)) found.add(match[1] ?? '');
  }
  return [...found];
}

/** Deterministic stand-ins for `openssl rand -base64 32` (no randomness in tests). */
function randomLooking(count: number): string[] {
  return Array.from({ length: count }, (_, i) => createHash('sha256').update(`seed-${i}`).digest('base64'));
}

describe('shippedSecretProblem', () => {
  it.each(PUBLISHED_SECRETS.map((s) => [s]))('refuses %s, published in this repository', (secret) => {
    expect(shippedSecretProblem(secret)).toMatch(/published in the patient-graph repository/);
    expect(shippedSecretProblem(secret.toUpperCase())).toMatch(/published/);
  });

  it('covers the development token key and every secret the repository examples publish', () => {
    expect(shippedSecretProblem(DEVELOPMENT_AUTH.secret)).not.toBeNull();
    for (const secret of secretsPublishedInExamples()) expect([secret, shippedSecretProblem(secret)]).toEqual([secret, expect.any(String)]);
  });

  it.each([
    ['my-hospital-signing-secret-for-the-gateway-2025', /placeholder \(it contains "secret"\)/],
    ['CHANGEME-CHANGEME-CHANGEME-CHANGEME-1', /placeholder \(it contains "CHANGEME"\)/],
    ['please-change-me-before-going-live-ok-1', /placeholder \(it contains "change-me"\)/],
    ['test-hospital-key-Zq8vN2kLr5TgW9pXy3bD', /starts with "test"/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', /repeats one character/],
    ['k9Zq!0123456789-Lm2Vb7Rt4Wp1Xs8Yd6Fg3Hj', /counting or keyboard sequence/],
    ['abababababcdcdcdcdcdefefefefefghghghghgh', /fewer than 10 distinct characters/],
    ['  example-sql-hospital-secret-change-me-01234  ', /published/],
  ])('refuses %s', (secret, reason) => {
    expect(shippedSecretProblem(secret)).toMatch(reason);
  });

  it('accepts secrets drawn at random', () => {
    for (const secret of randomLooking(500)) expect([secret, shippedSecretProblem(secret)]).toEqual([secret, null]);
  });
});
