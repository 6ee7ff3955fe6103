/**
 * Encryption SDK benchmark in Chromium (`node --import tsx bench/esdk-browser.ts`; also run by
 * `npm run bench` when BENCH_BROWSER=1). Builds bench/browser with Vite, serves it on 127.0.0.1
 * (WebCrypto needs a secure context) and drives it with Playwright. In the page:
 *   streaming encryption of a generated 256 MiB input, suite 0x0478, 1 MiB frames, vs one
 *   WebCrypto AES-256-GCM call over the same 256 MiB (goal >= 70% of it); vs
 *   @aws-crypto/client-browser, same suite and frame length (goal: at least as fast); and the peak
 *   JS heap (performance.memory, precise) while stream-encrypting a generated 1 GiB input (< 128 MB).
 * Chromium counts ArrayBuffer memory in the JS heap and frees it only at a GC, so a consumer that
 * drops 1 GiB of 1 MiB chunks shows a peak set by GC timing (about 200 MB here); the page's
 * consumer detaches each chunk when done (ArrayBuffer.prototype.transfer(0)), which frees it at once.
 */
import { chromium } from '@playwright/test';
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { findBrowser } from '../scripts/find-browser.mjs';

const SIZE = Number(process.env.BENCH_ESDK_MIB ?? 256);
const ROUNDS = Number(process.env.BENCH_ESDK_ROUNDS ?? 5);
const PEAK = Number(process.env.BENCH_ESDK_PEAK_MIB ?? 1024);
const PORT = Number(process.env.BENCH_PORT ?? 4393);
const outDir = '/tmp/kms-lab-bench-browser';

/**
 * The browser SDK (4.x) nests its own copies of shared @aws-crypto packages beside client-node's
 * 5.x ones; bundled twice, their `instanceof` checks fail ("Unsupported instance of
 * encryptedDataKey"), so each resolves to one copy. Its asn1.js needs Node's Buffer
 * (safer-buffer); the buffer package stands in for it.
 */
const nested = (owner: string, pkg: string) => ({
  find: new RegExp(`^@aws-crypto/${pkg}$`),
  replacement: resolve(`node_modules/@aws-crypto/${owner}/node_modules/@aws-crypto/${pkg}`),
});
const ALIASES = [
  { find: /^buffer$/, replacement: 'buffer/' },
  nested('material-management-browser', 'material-management'),
  nested('decrypt-browser', 'serialize'),
  nested('raw-aes-keyring-browser', 'raw-keyring'),
  nested('caching-materials-manager-browser', 'cache-material'),
  nested('kms-keyring-browser', 'kms-keyring'),
];

export async function esdkBrowserBench(): Promise<void> {
  await build({
    root: 'bench/browser',
    logLevel: 'error',
    resolve: { alias: ALIASES },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  const server = await preview({
    root: 'bench/browser',
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: PORT, strictPort: true },
  });
  const found = (await findBrowser()) ?? {};
  const browser = await chromium.launch({
    ...found,
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.stack));
    page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const ua = await page.evaluate(() => navigator.userAgent);
    const r = await page.evaluate(
      ([s, n, p]) =>
        (globalThis as unknown as { runBench: (a: number, b: number, c: number) => Promise<Record<string, unknown>> }).runBench(s!, n!, p!),
      [SIZE, ROUNDS, PEAK],
    );
    const res = r as { lab: number; ceiling: number; sdk: number; peak: { base: number; peak: number; out: number; ms: number } };
    const rate = (ms: number) => (SIZE / (ms / 1000)).toFixed(0);
    console.log(`ESDK in Chromium (${/Chrom\w+\/[\d.]+/.exec(ua)?.[0] ?? ua}): ${SIZE} MiB, suite 0x0478, 1 MiB frames, ${ROUNDS} rounds`);
    console.log(`  kms-lab encryptStream         median ${res.lab.toFixed(0)} ms  ${rate(res.lab)} MiB/s`);
    console.log(`  one WebCrypto AES-GCM call    median ${res.ceiling.toFixed(0)} ms  ${rate(res.ceiling)} MiB/s  (ceiling)`);
    console.log(`  @aws-crypto/client-browser    median ${res.sdk.toFixed(0)} ms  ${rate(res.sdk)} MiB/s`);
    console.log(
      `  kms-lab / ceiling: ${((res.ceiling / res.lab) * 100).toFixed(0)}% (goal >= 70%) ${res.ceiling / res.lab >= 0.7 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `  kms-lab / client-browser speed: ${(res.sdk / res.lab).toFixed(2)}x (goal >= 1x) ${res.sdk / res.lab >= 1 ? 'MET' : 'NOT MET'}`,
    );
    const peakMb = res.peak.peak / 1e6;
    console.log(
      `  ${PEAK} MiB stream in ${res.peak.ms.toFixed(0)} ms: peak JS heap ${peakMb.toFixed(1)} MB (baseline ${(res.peak.base / 1e6).toFixed(1)} MB; goal < 128 MB) ${peakMb < 128 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await esdkBrowserBench();
