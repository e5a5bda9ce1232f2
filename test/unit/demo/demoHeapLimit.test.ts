import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_HEAP_OPTION } from '../../../demo/demoHeapLimit';

const scripts = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the demo heap limit', () => {
  it('is what `npm start` runs the demo with', () => {
    expect(scripts.start).toContain(`node ${DEMO_HEAP_OPTION} bin/patient-graph.js demo`);
  });

  it('is what `npm run soak` runs the demo with, so the soak measures the demo as `npm start` runs it', () => {
    expect(scripts.soak).toContain(`NODE_OPTIONS=${DEMO_HEAP_OPTION} `);
  });
});
