import { trace } from '@opentelemetry/api';
import { startTracing } from '../../gateway/observability/startTracing';

/**
 * Run as its own Node process (`node --import tsx`): jest cannot load the OTLP exporter's
 * transport, which imports `http` dynamically. Exports one span named by argv[3] to argv[2].
 */
async function main(): Promise<void> {
  const [otlpUrl, name] = process.argv.slice(2);
  const tracing = await startTracing({ otlpUrl: otlpUrl ?? '' });
  trace.getTracer('patient-graph-test').startSpan(name ?? 'test-span').end();
  await tracing.shutdown();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
