import { expect, test } from '@playwright/test';
import { act, createKey, expectLast, keyItem, open, pageErrors, timelineCount, waitCalls } from './helpers';

test('bad input never crashes the page: raw JSON, base64, contexts, regions and accounts', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await createKey(page, 'alias/e2e-robust');

  // Raw JSON: broken JSON, a non-object, bad base64 are refused in the page with a reason.
  await page.getByTestId('action-select').selectOption('Encrypt');
  await page.getByTestId('raw-toggle').check();
  const raw = page.getByTestId('raw-json');
  await expect(raw).toHaveValue(/"\$base64"/);
  const before = await timelineCount(page);
  for (const [text, reason] of [
    ['{"KeyId": ', /Not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
    ['{"KeyId": "alias/e2e-robust", "Plaintext": {"$base64": "%%%"}}', /not valid base64/],
  ] as const) {
    await raw.fill(text);
    await page.getByTestId('send').click();
    await expect(page.getByTestId('form-error')).toContainText(reason);
  }
  expect(await timelineCount(page)).toBe(before);

  // Raw JSON that is valid goes to KMS as typed.
  await raw.fill('{"KeyId": "alias/e2e-robust", "Plaintext": {"$base64": "aGVsbG8="}, "EncryptionContext": {"k": "v"}}');
  await page.getByTestId('send').click();
  await waitCalls(page, before);
  await expectLast(page, 'Encrypt', 'OK');
  // Wrong types reach KMS and come back as AWS errors, not crashes.
  await raw.fill('{"KeyId": 42, "Plaintext": "not bytes"}');
  await page.getByTestId('send').click();
  await waitCalls(page, before, 2);
  await expect(page.getByTestId('timeline-item').last()).toHaveAttribute('data-status', /Exception/);
  await page.getByTestId('raw-toggle').uncheck();

  // A malformed context line and bad base64 in the form are refused with the line in question.
  await page.getByTestId('field-EncryptionContext').fill('purpose=ok\nno-equals-sign');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('form-error')).toContainText('line 2');
  await page.getByTestId('field-EncryptionContext').fill('');
  await page.getByTestId('action-select').selectOption('Decrypt');
  await page.getByTestId('field-CiphertextBlob').fill('this is not base64!');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('form-error')).toContainText('base64');
  // Random bytes that are valid base64: KMS says InvalidCiphertextException.
  await act(page, 'Decrypt', { CiphertextBlob: 'AAECAwQFBgcICQ==' });
  await expectLast(page, 'Decrypt', 'InvalidCiphertextException');
  await expect(page.getByTestId('explanation')).toContainText('does not know where this ciphertext came from');

  // Keys are per region and per account.
  await page.getByTestId('region').selectOption('eu-west-1');
  await expect(page.getByTestId('key-item')).toHaveCount(0);
  await act(page, 'Encrypt', { KeyId: 'alias/e2e-robust', Plaintext: 'x' });
  await expectLast(page, 'Encrypt', 'NotFoundException');
  await page.getByTestId('region').selectOption('us-east-1');
  await expect(keyItem(page, 'alias/e2e-robust')).toBeVisible();
  await page.getByTestId('account').selectOption('444455556666');
  await expect(page.getByTestId('key-item')).toHaveCount(0);
  await page.getByTestId('account').selectOption('111122223333');
  await expect(page.getByTestId('key-item')).toHaveCount(1);

  // Large type and keyboard: the action bar is reachable and the focus is visible.
  await page.getByTestId('large-type').check();
  await expect(page.locator('html')).toHaveClass(/large/);
  await page.getByTestId('action-select').focus();
  await page.keyboard.press('Tab');
  await page.screenshot({ path: 'test-results/10-large-type.png' });
  await page.getByTestId('large-type').uncheck();
  expect(pageErrors(page)).toEqual([]);
});

test('reduced motion: the flow shows its end state at once', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page, '0.5');
  const before = await timelineCount(page);
  await page.getByTestId('action-select').selectOption('GenerateRandom');
  await page.getByTestId('field-NumberOfBytes').fill('16');
  await page.getByTestId('send').click();
  await waitCalls(page, before);
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'done');
  await expect(page.getByTestId('flow-result')).toContainText('Answered');
  await expect(page.getByTestId('response-json')).toContainText('// 16 bytes');
});

test('the flow player pauses, steps and replays', async ({ page }) => {
  await open(page, '0.5');
  await page.getByTestId('action-select').selectOption('GenerateRandom');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'playing');
  await page.getByTestId('flow-pause').click();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'paused');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', /paused|done/);
  await page.getByTestId('flow-skip').click();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'done');
  await expect(page.getByTestId('flow')).toHaveAttribute('data-outcome', 'ok');
  await page.getByTestId('flow-replay').click();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'playing');
});
