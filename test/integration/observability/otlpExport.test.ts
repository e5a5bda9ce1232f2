import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTracing } from '../../../gateway/observability/startTracing';

describe('startTracing over OTLP/HTTP', () => {
  it('exports spans as OTLP JSON to the configured endpoint when the process shuts tracing down', async () => {
    const received: { url: string; contentType: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
      await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../helpers/exportTestSpan.ts'), url, 'otlp-export-check'], { timeout: 60_000 });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ url: '/v1/traces', contentType: 'application/json' });
      const spans = (JSON.parse(received[0]?.body ?? '{}') as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      expect(spans.map((s) => s.name)).toEqual(['otlp-export-check']);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  }, 90_000);

  it('refuses an endpoint that is not an http(s) URL', async () => {
    await expect(startTracing({ otlpUrl: 'collector:4318' })).rejects.toThrow('http(s)://');
  });
});
