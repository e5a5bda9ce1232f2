import { execute } from '../../../cli/main';
import { createTokenVerifier } from '../../../gateway/auth/createTokenVerifier';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await execute(['token', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('patient-graph token --ttl', () => {
  it('prints a token of at most 12 hours that the gateway’s default verification accepts', async () => {
    const { code, out } = await run(['--role', 'analyst', '--ttl', '43200']);
    expect(code).toBe(0);
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    await expect(verify(out[0] ?? '')).resolves.toMatchObject({ role: 'analyst' });
  });

  it('refuses a lifetime the gateway would refuse, as a wrong invocation (exit 2)', async () => {
    const { code, out, err } = await run(['--role', 'analyst', '--ttl', '43201']);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('--ttl must be 60 to 43200 seconds');
  });
});
