import { context, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalContextManager } from './AsyncLocalContextManager';

export type TracingOptions =
  /** OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces`. */
  | { readonly otlpUrl: string }
  /** Another exporter (tests use the SDK's in-memory one: jest cannot load the OTLP transport, which imports `http` dynamically). */
  | { readonly exporter: SpanExporter };

export interface RunningTracing {
  /** Exports what is buffered and unregisters the tracer provider and context manager. */
  shutdown(): Promise<void>;
}

/**
 * Turns on OpenTelemetry for this process (off unless configured): spans from Apollo Gateway
 * (request, plan, fetch) and from each source call, exported over OTLP/HTTP, and the W3C
 * `traceparent` header on every request to a source. Spans carry source codes and outcomes,
 * never documents, variables or patient data.
 */
export async function startTracing(options: TracingOptions): Promise<RunningTracing> {
  if ('otlpUrl' in options && !/^https?:\/\//.test(options.otlpUrl)) throw new Error('tracing: otlpUrl must be an http(s):// URL of an OTLP traces endpoint');
  // Loaded only when tracing is on: the SDK and the OTLP exporter (~260 modules) are ~15 MB of a
  // gateway that does not trace (bench/RESULTS.md, "Gateway memory").
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const exporter = 'otlpUrl' in options ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: options.otlpUrl }) : options.exporter;
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalContextManager().enable());
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
