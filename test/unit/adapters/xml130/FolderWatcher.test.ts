import { FolderWatcher } from '../../../../adapters/xml130/FolderWatcher';
import { captureLogger } from '../../../helpers/captureLogger';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('FolderWatcher', () => {
  it('still reports changes by periodic rescan when fs.watch cannot watch the folder, until closed', async () => {
    const { logger, lines } = captureLogger();
    let changes = 0;
    const watcher = new FolderWatcher({
      folder: '/nonexistent/xml130-folder',
      debounceMs: 10,
      rescanIntervalMs: 20,
      onChange: () => (changes += 1),
      logger,
    }).start();
    for (let waited = 0; changes < 3 && waited < 5000; waited += 20) await sleep(20);
    watcher.close();
    expect(changes).toBeGreaterThanOrEqual(3);
    expect(lines.some((line) => line.includes('xml130.watch_unavailable'))).toBe(true);
    const seen = changes;
    await sleep(100);
    expect(changes).toBe(seen);
  });
});
