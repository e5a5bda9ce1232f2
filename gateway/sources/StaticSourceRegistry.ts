import type { RegisteredSource, SourceRegistry } from './RegisteredSource';

/** A registry fixed at start-up (configuration file or the demo network). */
export class StaticSourceRegistry implements SourceRegistry {
  private readonly byCode: ReadonlyMap<string, RegisteredSource>;
  private readonly order: ReadonlyMap<string, number>;

  constructor(private readonly sources: readonly RegisteredSource[]) {
    const byCode = new Map<string, RegisteredSource>();
    for (const source of sources) {
      if (byCode.has(source.code)) throw new Error(`source ${source.code} is registered twice`);
      byCode.set(source.code, source);
    }
    this.byCode = byCode;
    this.order = new Map(sources.map((s, index) => [s.code, index]));
  }

  get(code: string): RegisteredSource | undefined {
    return this.byCode.get(code);
  }

  list(): readonly RegisteredSource[] {
    return this.sources;
  }

  orderOf(code: string): number {
    return this.order.get(code) ?? Number.MAX_SAFE_INTEGER;
  }
}
