import { test, expect } from '@playwright/test';
import { act, createKey, open, pageErrors } from './helpers';

test('Large type on a 1280x720 projector stacks the panels so the action bar and narration are not squeezed', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page);
  await page.getByTestId('large-type').check();
  await createKey(page, 'projector');
  await act(page, 'EnableKeyRotation', { KeyId: 'alias/projector' });

  // The action select stays inside its panel, and the fields are laid out at full height.
  const bar = await page.getByTestId('action-bar').boundingBox();
  const select = await page.getByTestId('action-select').boundingBox();
  expect(select!.x + select!.width).toBeLessThanOrEqual(bar!.x + bar!.width);
  const field = await page.getByTestId('field-KeyId').boundingBox();
  const send = await page.getByTestId('send').boundingBox();
  expect(field!.y + field!.height).toBeLessThanOrEqual(send!.y);

  // The timeline shows the whole action name and error code each on one line (no mid-word breaks).
  for (const part of ['.tl-action', '.tl-status']) {
    const el = page.getByTestId('timeline-item').last().locator(part);
    const lineHeight = await el.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
    expect((await el.boundingBox())!.height, part).toBeLessThan(lineHeight * 1.5);
  }
  await expect(page.getByTestId('timeline-item').last().locator('.tl-status')).toHaveText('NotFoundException');
  await expect(page.getByTestId('timeline-item').last().locator('.tl-action')).toHaveText('EnableKeyRotation');
  expect(pageErrors(page)).toEqual([]);
});
