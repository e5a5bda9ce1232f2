import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../../core/logging/logger';

export interface FolderWatcherOptions {
  readonly folder: string;
  /** Quiet time after the last file-system event before `onChange` runs. */
  readonly debounceMs: number;
  /** Periodic `onChange` regardless of events; 0 turns it off. */
  readonly rescanIntervalMs: number;
  readonly onChange: () => void;
  readonly logger: Logger;
}

/**
 * Tells its owner when a folder may have changed: `fs.watch` events (recursive), debounced so a
 * file written in many chunks or a batch of files costs one rescan, plus a periodic rescan,
 * because `fs.watch` misses events on some file systems (network shares, some containers). It
 * says *may*: the owner compares sizes and times to find what changed.
 */
export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private interval: NodeJS.Timeout | null = null;

  constructor(private readonly options: FolderWatcherOptions) {}

  start(): this {
    try {
      this.watcher = watch(this.options.folder, { recursive: true, persistent: false }, () => this.poke());
      this.watcher.on('error', (error) => {
        this.options.logger.warn('xml130.watch_failed', { message: error.message });
        this.stopWatching();
      });
    } catch (error) {
      this.options.logger.warn('xml130.watch_unavailable', { message: error instanceof Error ? error.message : String(error) });
    }
    if (this.options.rescanIntervalMs > 0) {
      this.interval = setInterval(() => this.options.onChange(), this.options.rescanIntervalMs);
      this.interval.unref();
    }
    return this;
  }

  close(): void {
    this.stopWatching();
    if (this.debounce) clearTimeout(this.debounce);
    if (this.interval) clearInterval(this.interval);
    this.debounce = null;
    this.interval = null;
  }

  private poke(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.options.onChange();
    }, this.options.debounceMs);
    this.debounce.unref();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
