/**
 * The browser benchmarks (npm run bench runs them when a Chromium is available): the same
 * browser set-up as the end-to-end tests, another port, benchmark files only.
 */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

const PORT = Number(process.env.BENCH_PORT ?? 4391);

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.browser.ts',
  retries: 0,
  timeout: 180_000,
  // No Playwright trace: its DOM snapshots run on the page's main thread and would be measured.
  use: { ...base.use, trace: 'off', baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    cwd: '..',
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
