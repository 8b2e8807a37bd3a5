import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { DEMO_SEED } from '../../src/demo/workspace.ts';
import { failModel, insertModel } from '../../src/model/repository.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const SKIP_MESSAGE = `${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium) to render the report page in a real browser`;
if (missing) console.warn(`report page browser test SKIPPED: ${SKIP_MESSAGE}`);

const run = promisify(execFile);

/** The report's cards, as rendered (the page's script holds the words "Loading…" too). */
const cards = (dom: string) => dom.slice(dom.indexOf('<main'), dom.indexOf('</main>'));

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

/**
 * The report at a viewport `width` px wide, through the DevTools protocol on a pipe (a headless
 * window is never narrower than 500 px; device metrics are): once ready, the layout's widths and the
 * elements wider than the card holding them, and a full-page screenshot in `screenshot`.
 */
async function renderAt(url: string, width: number, screenshot: string, profile: string) {
  const browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}-${width}`,
      '--remote-debugging-pipe',
    ],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  const [toBrowser, fromBrowser] = [browser.stdio[3] as Writable, browser.stdio[4] as Readable];
  const waiting = new Map<number, (message: { result?: Record<string, unknown>; error?: unknown }) => void>();
  let buffered = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    const parts = (buffered + chunk.toString()).split('\0');
    buffered = parts.pop()!;
    for (const part of parts) {
      const message = JSON.parse(part);
      waiting.get(message.id)?.(message);
    }
  });
  let next = 0;
  const send = (method: string, params: object = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result ?? {})));
      toBrowser.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: width < 500 }, sessionId);
    await send('Page.navigate', { url }, sessionId);
    const measure = `document.body.dataset.ready === 'true' && JSON.stringify({
      width: innerWidth, scrollWidth: document.documentElement.scrollWidth,
      overflowing: [...document.querySelectorAll('main section *')].filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > e.closest('section').getBoundingClientRect().right + 1).map((e) => e.tagName + ' in #' + e.closest('section').id) })`;
    for (let tries = 0; ; tries++) {
      const { result } = (await send('Runtime.evaluate', { expression: measure, returnByValue: true }, sessionId)) as {
        result: { value: unknown };
      };
      if (typeof result.value === 'string') {
        const { result: height } = (await send(
          'Runtime.evaluate',
          { expression: 'document.documentElement.scrollHeight', returnByValue: true },
          sessionId,
        )) as {
          result: { value: number };
        };
        const clip = { x: 0, y: 0, width, height: Math.min(height.value, 5000), scale: 1 };
        const png = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip }, sessionId)) as {
          data: string;
        };
        await writeFile(screenshot, Buffer.from(png.data, 'base64'));
        return JSON.parse(result.value) as { width: number; scrollWidth: number; overflowing: string[] };
      }
      if (tries > 300) throw new Error(`the report at ${width} px never got ready`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    browser.kill();
  }
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
    // Every reason, not the first three: intent too.
    const prospects = (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=12', headers: ws.auth })).json().data;
    const reasons = prospects.flatMap((p: { reasons: { label: string }[] }) => p.reasons.map((r) => r.label));
    expect(reasons.some((label: string) => / — (\d+ times, last )?(today|yesterday|\d+ (days|weeks|months) ago)$/.test(label))).toBe(true);
    const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    for (const label of reasons) expect(dom).toContain(html(label));
    expect(cards(dom)).not.toContain('Loading…');
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

  it('fits a phone (390 px) and a laptop (1366 px) without horizontal scrolling; the screenshots are kept for a look', async () => {
    for (const width of [390, 1366]) {
      const file = path.join(tmpdir(), `lookalike-report-${width}.png`);
      const page = await renderAt(`${base}/report#key=${ws.apiKey}`, width, file, profile);
      expect(page.width, 'the viewport is the width asked for').toBe(width);
      expect(page.scrollWidth, `${width} px: the page scrolls sideways`).toBe(width);
      expect(page.overflowing, `${width} px: elements wider than their card`).toEqual([]);
      console.log(`report page at ${width} px: ${file}`);
    }
  }, 240_000);

  it('says where a workspace stands: no model yet, a model in training, or one whose training failed', async () => {
    const fresh = await t.newWorkspace('No model');
    const none = await chromium(`${base}/report#key=${fresh.apiKey}`, ['--dump-dom'], profile);
    expect(none).toContain('No active model yet');
    expect(none).toContain('No scored prospects yet: train a model');
    expect(cards(none)).not.toContain('Loading…');
    expect(none).not.toMatch(/<p class="error">(?!\$\{)/);
    // A model waiting for its training (queued, its job not started): the cards say so and the page refreshes itself.
    const queued = await insertModel(t.db.pool, fresh.id, 42, {});
    const training = await chromium(`${base}/report#key=${fresh.apiKey}`, ['--dump-dom'], profile);
    expect(training).toContain('A model is being trained');
    // The model card says the model is on its way, not to train one.
    expect(training).toContain('No active model yet: version 1 is queued for training; it becomes active when ready.');
    expect(cards(training)).not.toContain('Train one');
    // Its training failed: the card says so, with the model's error, and what to do.
    await failModel(t.db.pool, queued, 'Training needs at least one won account', 10);
    const failed = await chromium(`${base}/report#key=${fresh.apiKey}`, ['--dump-dom'], profile);
    expect(failed).toContain('No active model yet: training version 1 failed (Training needs at least one won account). Train one with');
    expect(training).toContain('This page refreshes by itself.');
    expect(cards(training)).not.toContain('Loading…');
    expect(training).not.toMatch(/<p class="error">(?!\$\{)/);
  }, 240_000);

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
