import type { GatewayMetrics } from './GatewayMetrics';

interface Appending {
  append(...args: never[]): Promise<unknown>;
}

/**
 * The same audit log, with every `append` timed and its failures counted. A proxy rather than a
 * wrapper class: every other method reaches the log itself, whatever its interface grows to.
 */
export function timeAuditAppends<T extends Appending>(audit: T, metrics: GatewayMetrics): T {
  const append = async (...args: Parameters<T['append']>): Promise<unknown> => {
    const started = performance.now();
    try {
      const written = await audit.append(...args);
      metrics.observeAuditAppend((performance.now() - started) / 1000, true);
      return written;
    } catch (error) {
      metrics.observeAuditAppend((performance.now() - started) / 1000, false);
      throw error;
    }
  };
  return new Proxy(audit, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
