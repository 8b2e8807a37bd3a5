import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { DEMO_SEED } from '../../src/demo/workspace.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const SKIP_MESSAGE = `${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium) to render the report page in a real browser`;
if (missing) console.warn(`report page browser test SKIPPED: ${SKIP_MESSAGE}`);

const run = promisify(execFile);

/** Headless Chromium on `url`; virtual time runs until the page's fetches are done (the page then sets data-ready). */
async function chromium(url: string, output: string[], profile: string): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=30000',
    ...output,
    url,
  ];
  const { stdout } = await run(CHROMIUM, args, { timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

describe.skipIf(missing)(`the report page in headless Chromium${missing ? ` (skipped: ${SKIP_MESSAGE})` : ''}`, () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let base: string;
  let profile: string;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace('Demo');
    // The demo workspace's generator and seed, on a smaller universe.
    await loadGeneratedUniverse(t.db.pool, ws.id, {
      seed: DEMO_SEED,
      count: Number(process.env.REPORT_ACCOUNTS ?? 4_000),
      now: new Date(),
    });
    expect((await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} })).statusCode).toBe(202);
    await t.jobs.idle();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(path.join(tmpdir(), 'lookalike-chromium-'));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('shows the model, its metrics, tier counts, the ICP lift chart, segments, drift and the top prospects with reasons', async () => {
    const top = (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=1', headers: ws.auth })).json().data[0];
    const summary = (await t.app.inject({ method: 'GET', url: '/v1/prospects/summary', headers: ws.auth })).json();
    expect(summary.prospects).toBe(summary.tiers.A + summary.tiers.B + summary.tiers.C + summary.tiers.D);

    // The key travels in the fragment (never sent to the server); the page moves it to sessionStorage.
    const dom = await chromium(`${base}/report#key=${ws.apiKey}`, ['--dump-dom'], profile);
    expect(dom).toContain('data-ready="true"');
    expect(dom).not.toMatch(/<p class="error">(?!\$\{)/);
    expect(dom).toContain('Active model: version 1');
    expect(dom).toContain('ROC AUC');
    expect(dom).toContain('precision@k');
    expect(dom).toContain('Ranking blend chosen by cross-validation');
    expect(dom).toContain(`${summary.prospects.toLocaleString('en-US')}</b><span>prospects`);
    expect(dom).toContain('Lift of each attribute with its 95% interval');
    expect(dom).toContain('Top segments');
    expect(dom).toContain('Drift since the last model');
    expect(dom).toContain('Backtests: how earlier rankings turned out');
    expect(dom).toContain(top.domain);
    expect(dom).toContain(top.reasons[0].label.replaceAll('&', '&amp;'));
    expect(dom).not.toContain('Loading…');
  }, 180_000);

  it('asks for a key when it has none, and again when the key is refused', async () => {
    const empty = await chromium(`${base}/report`, ['--dump-dom'], await mkdtemp(path.join(tmpdir(), 'lookalike-chromium-')));
    expect(empty).toMatch(/<form class="key" id="keyform">/);
    expect(empty).toMatch(/<main id="report" hidden/);
    const refused = await chromium(
      `${base}/report#key=lak_not_a_key`,
      ['--dump-dom'],
      await mkdtemp(path.join(tmpdir(), 'lookalike-chromium-')),
    );
    expect(refused).toContain('That key was not accepted');
  }, 180_000);

  it('renders a screenshot a laptop screen can show (REPORT_SCREENSHOT=docs/report.png keeps it)', async () => {
    const file = path.join(profile, 'report.png');
    await chromium(`${base}/report#key=${ws.apiKey}`, [`--screenshot=${file}`, '--window-size=1366,1900'], profile);
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    if (process.env.REPORT_SCREENSHOT) {
      const target = path.resolve(import.meta.dirname, '../..', process.env.REPORT_SCREENSHOT);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(file, target);
    }
  }, 180_000);
});
