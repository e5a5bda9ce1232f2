import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigReader } from './ConfigReader';

/**
 * Reads the PEM file a config key names (a path relative to `baseDir`, the config file's folder),
 * so a wrong path stops the service at start. Problems name the key and the path, never the
 * file's content (it may be a private key). Undefined when the key is absent.
 */
export function readPemFile(section: ConfigReader, key: string, baseDir: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined {
  const path = section.optionalString(key);
  if (path === undefined) return undefined;
  const file = resolve(baseDir, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = typeof (error as NodeJS.ErrnoException | null)?.code === 'string' ? (error as NodeJS.ErrnoException).code : 'unreadable';
    return section.fail(key, `cannot read ${file} (${code})`, 'always');
  }
  // "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY" all end in PRIVATE KEY.
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) section.fail(key, `expected a PEM file holding a ${label.toLowerCase()} at ${file}`);
  return text;
}
