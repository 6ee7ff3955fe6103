/**
 * The throttling lab: it opens from the top bar, simulates, and a slider change redraws the
 * charts with different numbers. (Timings are measured by the benchmark, never asserted here.)
 */
import { expect, test } from '@playwright/test';
import { pageErrors } from './helpers';

test('the throttling lab: change a slider, and the chart changes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByTestId('mode-throttle').click();
  const lab = page.getByTestId('throttle-lab');
  await expect(lab).toBeVisible();
  await expect(page.getByTestId('throttle-chart')).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('quota-source')).toContainText('10,000');
  await expect(page.getByTestId('quota-source')).toContainText('Request quotas');

  const chart = page.getByTestId('throttle-chart').first();
  const accepted = chart.locator('path[data-series="accepted"]');
  const throttled = chart.locator('path[data-series="throttled"]');
  await expect(accepted).toHaveAttribute('d', /M/);
  const before = { accepted: await accepted.getAttribute('d'), throttled: await throttled.getAttribute('d') };
  const failedBefore = await page.getByTestId('summary-row').first().getByTestId('failed').textContent();
  const runs = Number(await lab.getAttribute('data-runs'));

  // Halve each client's rate: 100 × 100 = 10,000 req/s, exactly the quota, so nothing is throttled.
  await page.getByTestId('rps').fill('100');
  await expect(lab).not.toHaveAttribute('data-runs', String(runs));
  await expect(throttled).not.toHaveAttribute('d', before.throttled!);
  await expect(page.getByTestId('summary-row').first().getByTestId('failed')).not.toHaveText(failedBefore!);
  await expect(page.getByTestId('summary-row').first().getByTestId('failed')).toHaveText('0');

  // The 2023 table: 5,500 per second in sa-east-1, so throttling comes back.
  await page.getByTestId('preset').selectOption('2023');
  await expect(page.getByTestId('quota-source')).toContainText('5,500');
  await expect(page.getByTestId('summary-row').first().getByTestId('failed')).not.toHaveText('0');

  // Replay one client of the SDK standard strategy.
  await expect(page.getByTestId('replay-row').first()).toBeVisible();
  await expect(page.getByTestId('replay-chart').locator('circle.rp-throttled').first()).toBeAttached();
  await page.getByTestId('replay-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/throttle-lab.png', fullPage: true });
  expect(errors).toEqual([]);
  expect(pageErrors(page)).toEqual([]);
});

test('a walkthrough bursts CreateKey calls in the page and meets ThrottlingException', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByTestId('mode-learn').click();
  await page.getByTestId('scenario-open-throttling-shared-quota').click();
  // Step 1 (a burst of five CreateKey), then step 2 (its question first): the sixth is throttled.
  const throttled = page.getByTestId('timeline-item').filter({ hasText: 'ThrottlingException' });
  for (let i = 0; i < 6 && (await throttled.count()) === 0; i++) {
    const choice = page.getByTestId('scenario-choice-1');
    if (await choice.isVisible()) await choice.click();
    const next = page.getByTestId('scenario-next');
    await expect(next).toBeEnabled({ timeout: 20_000 });
    await next.click();
    await page.waitForTimeout(300);
  }
  await expect(throttled.first()).toBeVisible();
  await expect(page.getByTestId('timeline-item').filter({ hasText: 'OK' })).toHaveCount(5);
  await page.screenshot({ path: 'test-results/throttle-learn.png' });
  expect(pageErrors(page)).toEqual([]);
});

test('in the sandbox, with request quotas on, the sixth CreateKey in a virtual second is throttled', async ({ page }) => {
  const { open, act, expectLast } = await import('./helpers');
  await open(page);
  await page.getByTestId('quotas').check();
  // Five CreateKey per second (the management quota), and the clock does not move between clicks.
  for (let i = 0; i < 5; i++) {
    await act(page, 'CreateKey');
    await expectLast(page, 'CreateKey', 'OK');
  }
  await act(page, 'CreateKey');
  await expectLast(page, 'CreateKey', 'ThrottlingException');
  await expect(page.getByTestId('call-inspector')).toContainText('You have exceeded the rate at which you may call KMS');
  await page.getByTestId('quotas').uncheck();
  await act(page, 'CreateKey');
  await expectLast(page, 'CreateKey', 'OK');
});
