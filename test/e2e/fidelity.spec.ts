import { expect, test } from '@playwright/test';
import { FIDELITY_NOTES } from '../../src/engine/kms/fidelity';
import { open, pageErrors } from './helpers';

test('the page says where it differs from AWS ("How true is this?")', async ({ page }) => {
  await open(page);
  await page.getByTestId('fidelity-menu').click();
  const notes = page.getByTestId('fidelity-notes');
  await expect(notes).toBeVisible();
  await expect(notes.locator('li')).toHaveCount(FIDELITY_NOTES.length);
  for (const n of FIDELITY_NOTES) await expect(notes).toContainText(n.topic);
  await page.screenshot({ path: 'test-results/13-fidelity.png' });
  expect(pageErrors(page)).toEqual([]);
});
