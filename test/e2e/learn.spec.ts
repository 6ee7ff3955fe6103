import { expect, test } from '@playwright/test';
import { open, pageErrors } from './helpers';

test('Learn mode loads the scenario player lazily and shows its world on the stage', async ({ page }) => {
  test.setTimeout(90_000);
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await open(page);
  // The sandbox's first load does not fetch the scenario player.
  expect(scripts.some((u) => /ScenarioPlayer/.test(u))).toBe(false);

  await page.getByTestId('mode-learn').click();
  await expect(page.getByTestId('learn-panel')).toBeVisible();
  await expect(page.getByTestId('scenario-player')).toBeVisible({ timeout: 20_000 });
  expect(scripts.some((u) => /ScenarioPlayer/.test(u))).toBe(true);
  const first = page.locator('[data-testid^="scenario-open-"]').first();
  await expect(first).toBeVisible();
  await first.click();

  // Step through until a call from the scenario's world reaches the stage.
  for (let i = 0; i < 12 && (await page.getByTestId('timeline-item').count()) === 0; i++) {
    const choice = page.getByTestId('scenario-choice-0');
    if (await choice.isVisible()) await choice.click();
    const next = page.getByTestId('scenario-next');
    if (await next.isEnabled()) await next.click();
    await page.waitForTimeout(300);
  }
  await expect(page.getByTestId('timeline-item').first()).toBeVisible();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', /playing|done|paused|stepping/);
  await page.screenshot({ path: 'test-results/11-learn.png' });

  // Back to the sandbox: its own world, untouched by the scenario.
  await page.getByTestId('mode-sandbox').click();
  await expect(page.getByTestId('timeline-item')).toHaveCount(0);
  expect(pageErrors(page)).toEqual([]);
});
