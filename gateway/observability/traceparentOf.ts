import type { SpanContext } from '@opentelemetry/api';

/** The W3C Trace Context `traceparent` header of a span (https://www.w3.org/TR/trace-context/#traceparent-header): version 00. */
export function traceparentOf(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}
