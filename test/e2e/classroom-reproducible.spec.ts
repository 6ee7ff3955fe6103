/**
 * Classroom links repeat the bytes, not only the ids: the same link opened in two separate
 * browser contexts (two students' browsers: no shared storage) shows the same ciphertext and the
 * same signature at that step. The classroom view says the keys are reproducible and links to the
 * fidelity note; switching to Learn rebuilds the walkthrough with CSPRNG bytes (same ids).
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { pageErrors } from './helpers';

/** The bytes a response field holds, as the inspector's response JSON shows them (base64). */
async function responseBytes(page: Page, field: string): Promise<string> {
  const json = (await page.getByTestId('response-json').textContent()) ?? '';
  const m = new RegExp(`"${field}": \\{ "\\$base64": "([A-Za-z0-9+/=]+)" \\}`).exec(json);
  if (!m) throw new Error(`no ${field} in the response: ${json}`);
  return m[1]!;
}

async function keyIdsShown(page: Page): Promise<string[]> {
  return ((await page.getByTestId('call-inspector').textContent()) ?? '').match(/key\/[0-9a-f-]{36}/g) ?? [];
}

/** Opens a classroom link in a fresh browser context, as a student's browser would. */
async function student(browser: Browser, hash: string, lastAction: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { __errors?: string[] }).__errors = errors;
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('classroom-bar')).toBeVisible();
  // The replayed steps' last call is shown in the inspector once the walkthrough has reached the step.
  await expect(page.getByTestId('call-inspector')).toHaveAttribute('data-action', lastAction, { timeout: 30_000 });
  return page;
}

test('a classroom link shows the same ciphertext and signature in two separate browsers', async ({ browser }) => {
  const lifecycle = '#classroom?scenario=key-lifecycle&step=disable&seed=1701';
  const [a, b] = [await student(browser, lifecycle, 'Encrypt'), await student(browser, lifecycle, 'Encrypt')];
  const ciphertext = await responseBytes(a, 'CiphertextBlob');
  expect(ciphertext.length).toBeGreaterThan(40);
  expect(await responseBytes(b, 'CiphertextBlob')).toBe(ciphertext);
  expect(await keyIdsShown(b)).toEqual(await keyIdsShown(a));

  // The label says so, and opens the note that explains it.
  const label = a.getByTestId('reproducible-label');
  await expect(label).toContainText('Reproducible keys: every student sees the same bytes. Teaching only.');
  await expect(label).toHaveAttribute('title', /Never derive keys from a public seed/);
  await a.getByTestId('reproducible-why').click();
  await expect(a.getByTestId('fidelity-notes')).toBeVisible();
  await expect(a.locator('#fidelity-reproducible-keys-in-classroom-mode')).toBeFocused();

  // Learn mode never uses seeded bytes: the walkthrough is rebuilt at the same step with fresh ones.
  const ids = await keyIdsShown(a);
  await a.getByTestId('mode-learn').click();
  await expect(a.getByTestId('call-inspector')).toHaveAttribute('data-action', 'Encrypt', { timeout: 30_000 });
  await expect.poll(() => responseBytes(a, 'CiphertextBlob'), { timeout: 20_000 }).not.toBe(ciphertext);
  expect(await keyIdsShown(a)).toEqual(ids);
  await expect(a.getByTestId('reproducible-label')).toHaveCount(0);

  // Asymmetric keys too: an RSA key made in the browser from the seed, then an ECDSA signature.
  const asymmetric = '#classroom?scenario=asymmetric-keys&step=verify&seed=1701';
  const [c, d] = [await student(browser, asymmetric, 'Sign'), await student(browser, asymmetric, 'Sign')];
  const signature = await responseBytes(c, 'Signature');
  expect(await responseBytes(d, 'Signature')).toBe(signature);

  for (const p of [a, b, c, d]) expect(pageErrors(p)).toEqual([]);
  for (const p of [a, b, c, d]) await p.context().close();
});
