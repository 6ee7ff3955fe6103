/**
 * Benchmarks (`npm run bench`). Reports medians; never part of `npm test`.
 *
 * 1. Simulation overhead: N Encrypt + Decrypt of 4 KB through `client.send` (validation, key
 *    resolution, state check, trace, CloudTrail record, blob format) versus the bare
 *    AES-256-GCM calls (WebCrypto, key imported once) on the same data, in one run.
 *    Goal: the pipeline costs at most 2x the bare crypto.
 * 2. Authorization cost: the same pipeline with a realistic key policy (5 statements with
 *    conditions) and a caller with two identity policies, evaluated, versus policy evaluation
 *    switched off. Goal: authorization adds at most 25%.
 * 3. The load simulator (bench/throttle.ts): 60 virtual seconds of 20,000 req/s against a
 *    10,000/s quota, three strategies; goal at least 100x faster than real time.
 * 4. In Chromium (bench/throttle.browser.ts, Playwright): from a slider change in the throttling
 *    lab to the redrawn charts for that load; goal a median under 50 ms over 20 changes.
 *    Skipped with BENCH_BROWSER=0 or when no Chromium is found.
 * 5. The page's first-load JavaScript, gzip, from the production build in dist/ (run
 *    `npm run build` first). Goal: at most 200 KB.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createWorld } from '../src/engine';
import { throttleBench } from './throttle';
import { spawnSync } from 'node:child_process';
import { findBrowser } from '../scripts/find-browser.mjs';

const N = Number(process.env.BENCH_N ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function pipelineRound(): Promise<number> {
  const world = await createWorld({ seed: 42 });
  const kms = world.client('kms');
  const { KeyMetadata } = await kms.send('CreateKey', {});
  const data = crypto.getRandomValues(new Uint8Array(4096));
  const ctx = { purpose: 'bench' };
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const { CiphertextBlob } = await kms.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: data, EncryptionContext: ctx });
    await kms.send('Decrypt', { CiphertextBlob, EncryptionContext: ctx });
  }
  return performance.now() - t0;
}

/** A key policy of five statements with conditions, and two IAM policies on the caller. */
const REALISTIC_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Key administrators',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/Admin' },
      Action: [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
        'kms:Get*',
        'kms:Delete*',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
      ],
      Resource: '*',
    },
    {
      Sid: 'Key users',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:EncryptionContext:purpose': 'bench' } },
    },
    {
      Sid: 'Persistent resources',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    {
      Sid: 'TLS only',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

async function authorizedRound(evaluate: boolean): Promise<number> {
  const world = await createWorld({ seed: 43 });
  const admin = world.client('kms');
  const { KeyMetadata } = await admin.send('CreateKey', { Policy: REALISTIC_KEY_POLICY });
  // AppRole has an inline policy already; attach a managed one too: two identity policies.
  await world.client('iam').send('AttachRolePolicy', { RoleName: 'AppRole', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  world.policyEvaluation = evaluate;
  const kms = world.client('kms', { principal: 'arn:aws:iam::111122223333:role/AppRole' });
  const data = crypto.getRandomValues(new Uint8Array(4096));
  const ctx = { purpose: 'bench' };
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const { CiphertextBlob } = await kms.send('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: data, EncryptionContext: ctx });
    await kms.send('Decrypt', { CiphertextBlob, EncryptionContext: ctx });
  }
  return performance.now() - t0;
}

async function authorizationCost(): Promise<void> {
  await authorizedRound(true); // warm-up
  await authorizedRound(false);
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    off.push(await authorizedRound(false));
    on.push(await authorizedRound(true));
  }
  const a = median(on);
  const b = median(off);
  console.log(
    `authorization cost: ${N} x (Encrypt + Decrypt) of 4 KB as AppRole, key policy of 5 statements with conditions, 2 identity policies, ${ROUNDS} rounds`,
  );
  console.log(`  policies evaluated    median ${a.toFixed(0)} ms  (${((a / N) * 1000).toFixed(1)} us per Encrypt+Decrypt)`);
  console.log(`  evaluation off        median ${b.toFixed(0)} ms  (${((b / N) * 1000).toFixed(1)} us per Encrypt+Decrypt)`);
  console.log(`  added by authorization: ${(((a - b) / b) * 100).toFixed(1)}%  (goal <= 25%) ${a / b <= 1.25 ? 'MET' : 'NOT MET'}`);
}

async function bareRound(): Promise<number> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const data = crypto.getRandomValues(new Uint8Array(4096));
  const aad = new Uint8Array(64);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, data);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ct);
  }
  return performance.now() - t0;
}

async function overhead(): Promise<void> {
  await pipelineRound(); // warm-up
  await bareRound();
  const pipe: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareRound());
    pipe.push(await pipelineRound());
  }
  const p = median(pipe);
  const b = median(bare);
  console.log(`simulation overhead: ${N} x (Encrypt + Decrypt) of 4 KB, ${ROUNDS} rounds`);
  console.log(`  client.send pipeline  median ${p.toFixed(0)} ms  (${((p / N) * 1000).toFixed(1)} us per Encrypt+Decrypt)`);
  console.log(`  bare AES-256-GCM      median ${b.toFixed(0)} ms  (${((b / N) * 1000).toFixed(1)} us per encrypt+decrypt)`);
  console.log(`  ratio pipeline / bare: ${(p / b).toFixed(2)}x  (goal <= 2x) ${p / b <= 2 ? 'MET' : 'NOT MET'}`);
}

function firstLoad(): void {
  const html = 'dist/index.html';
  if (!existsSync(html)) {
    console.log('first load: no dist/ build; run `npm run build` first');
    return;
  }
  // The first load is every script index.html references plus the modules it preloads.
  const page = readFileSync(html, 'utf8');
  const files = [...page.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const b = readFileSync(join('dist', f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  const all = readdirSync('dist/assets').filter((f) => f.endsWith('.js'));
  console.log(
    `first load: ${files.length} JS files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (goal <= 200 KB) ${gz / 1024 <= 200 ? 'MET' : 'NOT MET'}`,
  );
  console.log(`  (the build has ${all.length} JS chunks in all; the rest load lazily)`);
}

async function browserBench(): Promise<void> {
  if (process.env.BENCH_BROWSER === '0') return;
  if (!(await findBrowser())) {
    console.log('throttling lab in Chromium: skipped (no Chromium found; see scripts/ensure-browser.mjs)');
    return;
  }
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'bench/playwright.config.ts', '--reporter=line'], { encoding: 'utf8' });
  const lines = `${r.stdout}`.split('\n').filter((l) => /^(throttling lab| {2})/.test(l) && !/✓|passed/.test(l));
  console.log(lines.length ? lines.join('\n') : `throttling lab in Chromium: the benchmark did not run (exit ${r.status})\n${r.stderr}`);
}

await overhead();
await authorizationCost();
throttleBench(ROUNDS);
await browserBench();
firstLoad();
await (await import('./esdk')).esdkBench();
if (process.env.BENCH_BROWSER !== '0') await (await import('./esdk-browser')).esdkBrowserBench();
