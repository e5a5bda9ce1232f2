import { collectConfigProblems } from '../../../../core/config/collectConfigProblems';
import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigProblems } from '../../../../core/config/ConfigProblems';
import { ConfigReader } from '../../../../core/config/ConfigReader';

/** A small validator in the style of the project's config parsers. */
function parseExample(raw: unknown): { code: string; port: number; mode: string; secret: string } {
  const root = ConfigReader.root(raw, 'x.yaml');
  root.rejectUnknownKeys(['code', 'server', 'mode', 'secret']);
  const code = root.string('code', { pattern: /^\d{5}$/, patternHint: 'a 5-digit code' });
  const server = root.object('server');
  const port = server.integer('port', { min: 0, max: 65535 });
  const mode = root.oneOf('mode', ['fast', 'safe'] as const);
  const secret = root.string('secret');
  if (secret.length < 8) root.fail('secret', 'expected at least 8 characters');
  return { code, port, mode, secret };
}

const collected = (raw: unknown): ConfigError => {
  try {
    collectConfigProblems(() => parseExample(raw));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('collectConfigProblems', () => {
  it('reports every wrong value at once, each with its file and key', () => {
    const error = collected({ code: '12', server: { port: 70000 }, mode: 'turbo', secret: 'short', sever: 1 });
    expect(error).toBeInstanceOf(ConfigProblems);
    expect((error as ConfigProblems).problems.map((p) => p.key)).toEqual(['sever', 'code', 'server.port', 'mode', 'secret']);
    expect(error.message.split('\n')).toEqual([
      'x.yaml: sever: unknown key (known: code, server, mode, secret)',
      'x.yaml: code: expected a 5-digit code',
      'x.yaml: server.port: expected at most 65535, got 70000',
      'x.yaml: mode: expected one of fast, safe, got a string',
      'x.yaml: secret: expected at least 8 characters',
    ]);
  });

  it('throws the single ConfigError itself when there is one problem', () => {
    const error = collected({ code: '12345', server: { port: 1 }, mode: 'fast', secret: 'short' });
    expect(error).not.toBeInstanceOf(ConfigProblems);
    expect(error.message).toBe('x.yaml: secret: expected at least 8 characters');
  });

  it('stops at a missing section (nothing can stand in for it) and keeps what it found before', () => {
    const error = collected({ code: '12', mode: 'fast', secret: 'long enough' });
    expect(error.message.split('\n')).toEqual(['x.yaml: code: expected a 5-digit code', 'x.yaml: server: expected a mapping of keys, got nothing']);
  });

  it('returns the result when the config is valid', () => {
    expect(collectConfigProblems(() => parseExample({ code: '12345', server: { port: 1 }, mode: 'safe', secret: 'long enough' }))).toEqual({ code: '12345', port: 1, mode: 'safe', secret: 'long enough' });
  });

  it('leaves a validator called directly as it was: the first problem is thrown', () => {
    expect(() => parseExample({ code: '12', server: { port: 70000 }, mode: 'turbo', secret: 'short' })).toThrow(new ConfigError('code', 'expected a 5-digit code', 'x.yaml'));
  });

  it('keeps probing callers working: a string-or-section key still throws so the caller can try the other shape', () => {
    const stringOrSection = (reader: ConfigReader, key: string): string | ConfigReader => {
      try {
        return reader.string(key);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return reader.object(key);
      }
    };
    const result = collectConfigProblems(() => stringOrSection(ConfigReader.root({ mapping: { table: 't' } }), 'mapping'));
    expect(result).toBeInstanceOf(ConfigReader);
  });

  it('rethrows an error that is not about the config when no problem was found', () => {
    expect(() => collectConfigProblems(() => {
      throw new TypeError('a bug');
    })).toThrow(TypeError);
  });
});
