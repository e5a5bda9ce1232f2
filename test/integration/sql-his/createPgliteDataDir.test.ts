import childProcess from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDataDir } from '../../../adapters/sql-his/createPgliteDataDir';

describe('createPgliteDataDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'pg-initdb-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs one initdb for callers that ask for the same directory at once (the demo starts it early), in folders not made yet', async () => {
    const spawn = jest.spyOn(childProcess, 'spawn');
    try {
      const dataDir = join(root, 'state', '.patient-graph', 'patient-index');
      await Promise.all([createPgliteDataDir(dataDir), createPgliteDataDir(join(root, 'state', '.', '.patient-graph', 'patient-index'))]);
      expect(spawn).toHaveBeenCalledTimes(1);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

      await createPgliteDataDir(dataDir); // created: nothing to do
      expect(spawn).toHaveBeenCalledTimes(1);
    } finally {
      spawn.mockRestore();
    }
  }, 120_000); // initdb in a child process, on a loaded machine
});
