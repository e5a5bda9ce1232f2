import { tokenCommand } from '../../../cli/commands/tokenCommand';
import { UsageError } from '../../../cli/CliCommand';
import { createTokenVerifier } from '../../../gateway/auth/createTokenVerifier';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';

async function run(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await tokenCommand.run(args, { out: (t) => out.push(t), err: () => undefined });
  return { code, out };
}

describe('patient-graph token --ttl', () => {
  it('prints a token of at most 12 hours that the gateway’s default verification accepts', async () => {
    const { code, out } = await run(['--role', 'analyst', '--ttl', '43200']);
    expect(code).toBe(0);
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    await expect(verify(out[0] ?? '')).resolves.toMatchObject({ role: 'analyst' });
  });

  it('refuses a lifetime the gateway would refuse', async () => {
    await expect(run(['--role', 'analyst', '--ttl', '43201'])).rejects.toThrow(UsageError);
  });
});
