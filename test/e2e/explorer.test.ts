import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../demo/startDemoNetwork';
import { captureLogger } from '../helpers/captureLogger';
import { postGraphQL } from '../helpers/postGraphQL';
import { tokenFor } from '../helpers/tokens';

/** Screenshots of the explorer, kept by CI as artifacts. */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const APP_ORIGIN = 'https://app.benhvien.example.vn';
const population = createDemoPopulation(30);
/** GraphiQL's response pane (a CodeMirror 5 editor), as a browser-side expression. */
const RESPONSE_EDITOR = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror";

/**
 * Polls an expression from the test side until it is true. Playwright's waitForFunction re-checks a
 * string predicate with eval inside the page, which the explorer's Content-Security-Policy
 * (script-src 'self', no 'unsafe-eval') rightly refuses; page.evaluate goes through the browser's
 * debugging protocol, which CSP does not govern.
 */
async function waitForExpression(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate<boolean>(`(() => { try { return Boolean(${expression}); } catch { return false; } })()`);
    if (value) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the explorer (GraphiQL at GET /) and CORS', () => {
  let network: DemoNetwork;
  let base: string;

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: population.facilities.slice(0, 2),
      cors: { allowedOrigins: [APP_ORIGIN] },
    });
    base = network.gateway.url.replace(/graphql$/, '');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('serves the page and its files without a token, all from the gateway, under a self-only CSP', async () => {
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const url of urls.filter((u) => u.startsWith('explorer/'))) {
      const file = await fetch(new URL(url, base));
      expect({ url, status: file.status }).toEqual({ url, status: 200 });
    }
    const schema = await (await fetch(new URL('explorer/schema.graphql', base))).text();
    expect(schema).toContain('type Patient');
    expect(schema).not.toContain('join__');
    expect((await fetch(new URL('explorer/constructor', base))).status).toBe(404);
  });

  it('answers a preflight from an allowed origin without a token, and lets that origin read the answer', async () => {
    const preflight = await fetch(network.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const token = await tokenFor('analyst');
    const answer = await fetch(network.gateway.url, {
      method: 'POST',
      headers: { origin: APP_ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ encounterCount }' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(answer.headers.get('vary')).toContain('Origin');
  });

  it('refuses another origin with CORS_ORIGIN_NOT_ALLOWED before anything runs: no audit record', async () => {
    const before = (await network.audit.read({})).length;
    const preflight = await fetch(network.gateway.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const token = await tokenFor('analyst');
    const request = await fetch(network.gateway.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ encounterCount }' }),
    });
    expect(request.status).toBe(403);
    expect(((await request.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    expect((await network.audit.read({})).length).toBe(before);
  });

  describe('in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    }, 120_000);

    afterAll(async () => {
      await browser.close();
    });

    it('loads the page, runs a query with a pasted token, shows the result, and loads nothing from elsewhere', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const requested: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });

      await page.goto(base);
      await waitForExpression(page, "document.getElementById('explorer-status').textContent.startsWith('Schema loaded')", 60_000);
      // One tab per role, named after its example operation.
      expect(await page.locator('.graphiql-tab').allInnerTexts()).toEqual(['MergedRecord', 'DiagnosisCounts', 'MyRecord', 'PatientIndex', 'Sources', 'AuditTrail']);

      const readResult = async (): Promise<unknown> => {
        await waitForExpression(page, `${RESPONSE_EDITOR}.getValue().trim().startsWith('{')`, 60_000);
        return JSON.parse(await page.evaluate<string>(`${RESPONSE_EDITOR}.getValue()`)) as unknown;
      };

      // Without a token the page still works, and the query is refused by the gateway.
      await page.locator('.graphiql-tab', { hasText: 'DiagnosisCounts' }).click();
      await page.click('.graphiql-execute-button');
      expect(JSON.stringify(await readResult())).toContain('UNAUTHENTICATED');

      const token = await tokenFor('analyst');
      await page.fill('#bearer-token', token);
      await page.evaluate(`${RESPONSE_EDITOR}.setValue('')`);
      await page.click('.graphiql-execute-button');
      const shown = (await readResult()) as { data?: { encounterCount: number } };

      const direct = await postGraphQL(
        network.gateway.url,
        '{ diagnosisCounts(first: 10, from: "2025-01-01") { code display encounters } encounterCount }',
        {},
        token,
      );
      expect(shown.data?.encounterCount).toBeGreaterThan(0);
      expect(shown.data).toEqual(direct.body.data);

      // The schema docs open without introspection (the page brings the published schema).
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.waitForSelector('.graphiql-doc-explorer', { timeout: 30_000 });
      expect(await page.locator('.graphiql-doc-explorer').innerText()).toContain('Query');

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });

      const origin = new URL(base).origin;
      expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
      await page.close();
    }, 180_000);
  });
});
