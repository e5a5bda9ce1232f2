import type { Xml130Hoso } from '../Xml130Hoso';
import { indexRowOf } from './indexRowOf';
import type { Xml130RowBatch } from './Xml130RowBatch';

/**
 * Writes the HOSO of one file, as they are read, under a file row in state `loading` (invisible to
 * every query until `Xml130SqlIndex.commitFiles`). Its rows go to a batch shared by the files
 * committed together (`Xml130RowBatch`); `add` only buffers, `flushIfFull` (awaited by the reader
 * between chunks of the file) writes a full batch, so a bounded number of rows is ever held.
 */
export class Xml130FileWriter {
  private ordinal = 0;

  constructor(readonly batch: Xml130RowBatch, readonly fileId: number) {}

  /** HOSO added so far. */
  get written(): number {
    return this.ordinal;
  }

  add(hoso: Xml130Hoso): void {
    this.batch.add(this.fileId, indexRowOf(hoso, this.ordinal));
    this.ordinal += 1;
  }

  flushIfFull(): Promise<void> {
    return this.batch.flushIfFull();
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}
