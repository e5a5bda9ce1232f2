import type { IsoDateTime } from '../../contracts/model/patient';
import { parseQd130DateTime } from '../../core/time/vietnamTime';
import type { Xml130Row } from './InnerDocument';
import { fieldLabel, QD4210_NAMES } from './qd130Fields';
import { parseQd130Number } from './qd130Formats';
import type { MappedTable } from './xml130Tables';

/**
 * Typed reading of one record of a mapped table. Fields are asked for by their QĐ 130 name and
 * found under their QĐ 4210 name too; every problem is collected (with the field number and the
 * row, never the value) instead of thrown, so a table reports all its problems at once.
 */
export class Xml130RowReader {
  readonly problems: string[] = [];

  constructor(
    private readonly table: MappedTable,
    private readonly row: Xml130Row,
    /** How the row is named in messages, e.g. `row STT 3`; empty for XML1 (one record). */
    private readonly rowName = '',
  ) {}

  /** The field's text, or null when absent or empty. */
  text(name: string): string | null {
    const legacy = QD4210_NAMES[this.table][name];
    const value = this.row.get(name) ?? (legacy === undefined ? undefined : this.row.get(legacy));
    return value === undefined || value === '' ? null : value;
  }

  /** A mandatory field: a problem when absent or empty. */
  required(name: string): string | null {
    const value = this.text(name);
    if (value === null) this.problem(name, 'is missing (mandatory)');
    return value;
  }

  /** A `yyyyMMddHHmm` time (Viet Nam) as ISO 8601 with `+07:00`; a problem when malformed. */
  dateTime(name: string, options: { required?: boolean } = {}): IsoDateTime | null {
    const value = options.required ? this.required(name) : this.text(name);
    if (value === null) return null;
    const parsed = parseQd130DateTime(value);
    if (parsed === undefined) this.problem(name, 'is not a valid yyyyMMddHHmm time');
    return parsed ?? null;
  }

  /** A number with `.` decimals (money, quantities); a problem when malformed. */
  number(name: string): number | null {
    const value = this.text(name);
    if (value === null) return null;
    const parsed = parseQd130Number(value);
    if (parsed === undefined) this.problem(name, 'is not a number');
    return parsed ?? null;
  }

  problem(name: string, what: string): void {
    this.problems.push(`${fieldLabel(this.table, name)}${this.rowName ? ` (${this.rowName})` : ''} ${what}`);
  }
}
