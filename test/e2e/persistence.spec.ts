import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { act, createKey, expectLast, keyItem, open, pageErrors } from './helpers';

test('the sandbox survives a reload, exports, and imports only a valid file', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await createKey(page, 'alias/e2e-kept');
  await act(page, 'Encrypt', { KeyId: 'alias/e2e-kept', Plaintext: 'still here after reload', EncryptionContext: 'app=e2e' });
  await expectLast(page, 'Encrypt', 'OK');
  await page.getByTestId('clock-1d').click();
  await expect(page.getByTestId('clock')).toContainText('2026-01-06 09:00 UTC');
  await expect(page.getByTestId('save-status')).toContainText('Saved');

  // Reload: same keys, same clock, same timeline.
  await page.reload();
  await expect(page.getByTestId('send')).toBeEnabled();
  await expect(keyItem(page, 'alias/e2e-kept')).toBeVisible();
  await expect(page.getByTestId('clock')).toContainText('2026-01-06 09:00 UTC');
  await expect(page.getByTestId('timeline-item')).toHaveCount(4);
  await page.getByTestId('timeline-item').nth(2).click();
  await expect(page.getByTestId('call-inspector')).toHaveAttribute('data-action', 'Encrypt');
  // A ciphertext from before the reload still decrypts.
  await page.getByTestId('quick-decrypt').click();
  await expect(page.getByTestId('timeline-item')).toHaveCount(5);
  await expectLast(page, 'Decrypt', 'OK');
  await expect(page.getByTestId('decrypted-text')).toContainText('still here after reload');
  await page.screenshot({ path: 'test-results/08-after-reload.png' });

  // Export.
  await page.getByTestId('file-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toBe('kms-lab-sandbox.json');
  const exported = await readFile((await download.path())!, 'utf8');
  const snap = JSON.parse(exported);
  expect(snap.format).toBe('kms-lab-world');
  expect(snap.version).toBe(1);
  expect(snap.kms.keys).toHaveLength(1);

  // Change the world after exporting.
  await createKey(page, 'alias/e2e-later');
  await expect(page.getByTestId('key-item')).toHaveCount(2);

  // A foreign file, a wrong version, broken JSON and a damaged key are refused; nothing changes.
  const bad: [string, string, RegExp][] = [
    ['foreign.json', JSON.stringify({ format: 'something-else', version: 1 }), /not a kms-lab sandbox file/],
    ['future.json', JSON.stringify({ ...snap, version: 2 }), /version 2/],
    ['broken.json', '{"format": "kms-lab-world", ', /not valid JSON/],
    ['damaged.json', JSON.stringify({ ...snap, kms: { ...snap.kms, keys: [{ ...snap.kms.keys[0], arn: 42 }] } }), /no valid "arn"/],
  ];
  for (const [name, text, reason] of bad) {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const banner = page.getByTestId('banner');
    await expect(banner).toContainText('Import refused');
    await expect(banner).toContainText(reason);
    await expect(banner).toContainText('Nothing was changed');
    await expect(page.getByTestId('key-item')).toHaveCount(2);
  }
  await page.screenshot({ path: 'test-results/09-import-refused.png' });

  // The exported file comes back: one key again, the clock as exported.
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'kms-lab-sandbox.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(page.getByTestId('banner')).toContainText('Imported kms-lab-sandbox.json');
  await expect(page.getByTestId('key-item')).toHaveCount(1);
  await expect(keyItem(page, 'alias/e2e-kept')).toBeVisible();
  await expect(page.getByTestId('clock')).toContainText('2026-01-06 09:00 UTC');
  // And the imported world is saved: a reload keeps it.
  await expect(page.getByTestId('save-status')).toContainText('Saved');
  await page.reload();
  await expect(page.getByTestId('key-item')).toHaveCount(1);
  expect(pageErrors(page)).toEqual([]);
});
