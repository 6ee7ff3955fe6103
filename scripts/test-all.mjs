// `npm test`: type checks, lint, unit + scenario tests (Vitest) and browser tests (Playwright),
// then ONE summary line for all suites together, which CI reads:
//   total: N passed, N failed, N skipped
// Exits non-zero on any failure, or when nothing ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('reports', { recursive: true });
let passed = 0,
  failed = 0,
  skipped = 0;
const problems = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) problems.push(`${name} exited with ${r.status ?? r.signal}`);
  return r.status === 0;
}

// Checks count as one test each: they pass or fail as a whole.
for (const [name, cmd, args] of [
  ['svelte-check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error']],
  ['eslint', 'npx', ['eslint', '.']],
]) {
  if (run(name, cmd, args)) passed++;
  else failed++;
}

rmSync('reports/vitest.json', { force: true });
run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json']);
if (existsSync('reports/vitest.json')) {
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
} else problems.push('vitest wrote no report');

rmSync('reports/playwright.json', { force: true });
if (run('browser', 'node', ['scripts/ensure-browser.mjs'])) {
  run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'reports/playwright.json' });
  if (existsSync('reports/playwright.json')) {
    const s = JSON.parse(readFileSync('reports/playwright.json', 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
    skipped += s.skipped;
  } else problems.push('playwright wrote no report');
} else failed++;

console.log('');
for (const p of problems) console.log(`problem: ${p}`);
console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || problems.length > 0 ? 1 : 0);
