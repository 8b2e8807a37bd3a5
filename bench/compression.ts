// Compression benchmark: what negotiating Accept-Encoding costs and saves on a prospect page (limit 100)
// and a CSV of 1,000 prospects, served in-process (app.inject) on the embedded database. Per encoding:
// bytes on the wire; CPU milliseconds per response in the API process (the same requests, plain and
// compressed, alternated in rounds; medians over the rounds), so the ratio to the plain response holds
// on a noisy machine; and the compression alone (node:zlib on the same body, with the plugin's settings).
//
//   npx tsx bench/compression.ts [--accounts 5000] [--rounds 7]
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { buildApp } from '../src/app.ts';
import { loadGeneratedUniverse } from '../src/demo/load.ts';
import { createApiKey } from '../src/workspaces/service.ts';
import { describeMachine, log, median, openBenchDatabase, round, SHARED_MACHINE_NOTE } from './lib.ts';

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = option('accounts', 5000);
const ROUNDS = option('rounds', 7);
const REQUESTS_PER_ROUND = { page: 40, csv: 8 };
const ENCODINGS = ['identity', 'gzip', 'br', 'deflate'] as const;

/** Median ms to compress `body` as the compression plugin is set up (src/http/compression.ts). */
function compressMs(encoding: Exclude<(typeof ENCODINGS)[number], 'identity'>, body: Buffer): number {
  const compress = {
    gzip: () => gzipSync(body),
    deflate: () => deflateSync(body),
    br: () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
  }[encoding];
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = process.hrtime.bigint();
    compress();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const bench = await openBenchDatabase('pglite', 'compression');
const { app, jobs } = await buildApp({
  config: { LOG_LEVEL: 'silent' },
  db: bench.db,
  adminToken: 'bench-admin-token-0123456789',
  spoolDir: path.join(tmpdir(), 'lookalike-bench-spool'),
  rateLimit: false,
});
try {
  await app.ready();
  const workspaceId = await bench.newWorkspace();
  const { apiKey } = await createApiKey(bench.db.pool, workspaceId, 'bench', 'read');
  log(`loading ${ACCOUNTS} generated accounts, training and scoring`);
  await loadGeneratedUniverse(bench.db.pool, workspaceId, { seed: 7, count: ACCOUNTS, now: new Date(), outcomeScale: 3 });
  await jobs.enqueue(workspaceId, 'model.retrain', { reason: 'schedule' });
  await jobs.idle();

  const urls = [
    { label: 'page (JSON, limit 100)', url: '/v1/prospects?limit=100', requests: REQUESTS_PER_ROUND.page },
    { label: 'CSV (1,000 prospects)', url: '/v1/prospects?format=csv&limit=1000', requests: REQUESTS_PER_ROUND.csv },
  ];
  console.log(`\n${describeMachine()}\n${SHARED_MACHINE_NOTE}\n`);
  for (const { label, url, requests } of urls) {
    const cpuMs: Record<string, number[]> = Object.fromEntries(ENCODINGS.map((e) => [e, []]));
    const bytes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const encoding of ENCODINGS) {
        const headers = { authorization: `Bearer ${apiKey}`, 'accept-encoding': encoding };
        const start = process.cpuUsage();
        for (let i = 0; i < requests; i++) {
          const res = await app.inject({ method: 'GET', url, headers });
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          bytes[encoding] = res.rawPayload.length;
        }
        const used = process.cpuUsage(start);
        cpuMs[encoding].push((used.user + used.system) / 1000 / requests);
      }
    }
    const plain = median(cpuMs.identity);
    const body = (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } })).rawPayload;
    console.log(`${label}: ${ROUNDS} rounds of ${requests} requests per encoding, CPU ms per response (median); zlib alone on the body`);
    for (const encoding of ENCODINGS) {
      const ms = median(cpuMs[encoding]);
      console.log(
        `  ${encoding.padEnd(8)} ${String(bytes[encoding]).padStart(9)} bytes (${round((100 * bytes[encoding]) / bytes.identity, 1)} %)` +
          `  ${round(ms, 2)} ms  (+${round(ms - plain, 2)} ms, ${round(ms / plain, 2)}× plain)` +
          (encoding === 'identity' ? '' : `  zlib alone ${round(compressMs(encoding, body), 2)} ms`),
      );
    }
  }
} finally {
  await app.close();
  await jobs.close();
  await bench.close();
}
