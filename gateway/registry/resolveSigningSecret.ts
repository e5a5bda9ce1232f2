import { readFileSync } from 'node:fs';

export type SecretResolution = { readonly kind: 'resolved'; readonly secret: string } | { readonly kind: 'unresolved'; readonly reason: string };

/**
 * Reads a source's signing secret from where its reference points: `env:NAME` (an environment
 * variable of the gateway process) or `file:/path` (a mounted secret, e.g. Docker or Kubernetes
 * secrets). The reason never contains the secret.
 */
export function resolveSigningSecret(ref: string, env: NodeJS.ProcessEnv = process.env): SecretResolution {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { kind: 'unresolved', reason: `"${ref}" does not name an environment variable` };
    const value = env[name];
    return value === undefined || value === '' ? { kind: 'unresolved', reason: `environment variable ${name} is not set on this gateway` } : { kind: 'resolved', secret: value };
  }
  if (ref.startsWith('file:')) {
    const path = ref.slice(5);
    try {
      const value = readFileSync(path, 'utf8').trim();
      return value === '' ? { kind: 'unresolved', reason: `secret file ${path} is empty` } : { kind: 'resolved', secret: value };
    } catch (error) {
      return { kind: 'unresolved', reason: `secret file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  return { kind: 'unresolved', reason: 'a signing secret reference is "env:NAME" or "file:/path"' };
}
