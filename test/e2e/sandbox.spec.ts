import { expect, test } from '@playwright/test';
import { act, createKey, expectLast, keyItem, open, pageErrors, timelineCount, waitCalls } from './helpers';

test.describe('sandbox: a symmetric key from birth to deletion', () => {
  test('encrypt, decrypt, tamper, 4 KB limit, disable, delete', async ({ page }) => {
    test.setTimeout(180_000);
    await open(page);
    await expect(page.getByTestId('clock')).toContainText('2026-01-05 09:00 UTC');

    // 1. Create a symmetric key with an alias.
    await createKey(page, 'alias/e2e-secret');
    await expect(keyItem(page, 'alias/e2e-secret').getByTestId('key-state')).toHaveText('Enabled');

    // 2. Encrypt a secret: the flow ends green, the anatomy labels the blob.
    await act(page, 'Encrypt', {
      KeyId: 'alias/e2e-secret',
      Plaintext: 'the launch code is 0000',
      EncryptionContext: 'purpose=e2e\nteam=blue',
    });
    await expectLast(page, 'Encrypt', 'OK');
    await expect(page.getByTestId('flow')).toHaveAttribute('data-outcome', 'ok');
    await expect(page.getByTestId('flow-result')).toContainText('Answered');
    await expect(page.locator('.flow-token.ok')).toHaveCount(1);
    const steps = page.getByTestId('flow-steps');
    for (const node of ['Client:', 'IAM:', 'KMS:', 'HSM:', 'CloudTrail:']) await expect(steps).toContainText(node);
    const anatomy = page.getByTestId('anatomy');
    for (const label of ['Format version', 'Key id', 'Key material id', 'IV', 'Ciphertext', 'Authentication tag']) {
      await expect(anatomy.getByTestId('anatomy-field').filter({ hasText: label }).first()).toBeVisible();
    }
    await expect(page.getByTestId('anatomy-aad')).toContainText('Bound as AAD, not stored in the blob');
    await expect(anatomy.locator('svg .an-seg')).toHaveCount(7);
    await expect(page.getByTestId('response-json')).toContainText('"$base64"');
    await expect(page.getByTestId('response-json')).toContainText('bytes');
    await expect(page.getByTestId('cloudtrail-json')).toContainText('"eventName": "Encrypt"');
    await page.screenshot({ path: 'test-results/01-encrypt.png' });

    // 3. Decrypt it back.
    let before = await timelineCount(page);
    await page.getByTestId('quick-decrypt').click();
    await waitCalls(page, before);
    await expectLast(page, 'Decrypt', 'OK');
    await expect(page.getByTestId('decrypted-text')).toContainText('the launch code is 0000');

    // 4. Tamper one byte: InvalidCiphertextException, and the page says why.
    await page.getByTestId('action-select').selectOption('Decrypt');
    await page.getByTestId('tamper').click();
    await expect(page.getByTestId('tamper-note')).toContainText('Changed byte');
    before = await timelineCount(page);
    await page.getByTestId('send').click();
    await waitCalls(page, before);
    await expectLast(page, 'Decrypt', 'InvalidCiphertextException');
    await expect(page.getByTestId('flow')).toHaveAttribute('data-outcome', 'fail');
    await expect(page.locator('.flow-token.fail')).toHaveCount(1);
    const expl = page.getByTestId('explanation');
    await expect(expl).toContainText('The blob was altered');
    await expect(expl).toContainText('not stored in the blob');
    await expect(expl).toContainText('you changed byte');
    await expect(page.locator('.an-tamper')).toHaveCount(1);
    await page.screenshot({ path: 'test-results/02-tamper.png' });

    // The "decrypt the original" fix works.
    before = await timelineCount(page);
    await page.getByTestId('fix-restore-ciphertext').click();
    await waitCalls(page, before);
    await expectLast(page, 'Decrypt', 'OK');

    // 5. Edit the context (case differs): InvalidCiphertextException, explained as a context mismatch.
    await page.getByTestId('action-select').selectOption('Decrypt');
    await page.getByTestId('field-EncryptionContext').fill('purpose=E2E\nteam=blue');
    before = await timelineCount(page);
    await page.getByTestId('send').click();
    await waitCalls(page, before);
    await expectLast(page, 'Decrypt', 'InvalidCiphertextException');
    await expect(page.getByTestId('explanation')).toContainText('encryption context differs');
    await expect(page.getByTestId('explanation')).toContainText('only in case');
    before = await timelineCount(page);
    await page.getByTestId('fix-use-original-context').click();
    await waitCalls(page, before);
    await expectLast(page, 'Decrypt', 'OK');

    // 6. 5,000 bytes: ValidationException with AWS's message, and the envelope hint that works.
    await page.getByTestId('action-select').selectOption('Encrypt');
    await page.getByTestId('field-Plaintext').fill('x'.repeat(5000));
    before = await timelineCount(page);
    await page.getByTestId('send').click();
    await waitCalls(page, before);
    await expectLast(page, 'Encrypt', 'ValidationException');
    await expect(page.getByTestId('error-box')).toContainText('4096');
    await expect(page.getByTestId('explanation')).toContainText(
      'KMS encrypts at most 4 KB directly; use envelope encryption: GenerateDataKey',
    );
    await page.screenshot({ path: 'test-results/03-envelope-hint.png' });
    before = await timelineCount(page);
    await page.getByTestId('fix-envelope').click();
    await waitCalls(page, before);
    await expectLast(page, 'GenerateDataKey', 'OK');
    await expect(page.getByTestId('response-json')).toContainText('"Plaintext"');
    await expect(page.getByTestId('response-json')).toContainText('// 32 bytes');

    // 7. Disable the key: Decrypt fails with DisabledException; the lifecycle chart follows.
    // DisableKey takes a key id or ARN, not an alias: picking the key fills its id in.
    await keyItem(page, 'alias/e2e-secret').click();
    await act(page, 'DisableKey');
    await expectLast(page, 'DisableKey', 'OK');
    await expect(keyItem(page, 'alias/e2e-secret').getByTestId('key-state')).toHaveText('Disabled');
    await act(page, 'Decrypt');
    await expectLast(page, 'Decrypt', 'DisabledException');
    await expect(page.getByTestId('explanation')).toContainText('Disabled');
    await page.getByTestId('tab-key').click();
    await expect(page.getByTestId('lifecycle')).toHaveAttribute('data-current', 'Disabled');
    await expect(page.locator('.lc-state.current')).toHaveAttribute('data-state', 'Disabled');

    // 8. Schedule deletion in 7 days, move the clock 7 days: the key is gone.
    await act(page, 'ScheduleKeyDeletion', { PendingWindowInDays: '7' });
    await expectLast(page, 'ScheduleKeyDeletion', 'OK');
    await expect(keyItem(page, 'alias/e2e-secret').getByTestId('key-state')).toHaveText('PendingDeletion');
    await page.getByTestId('tab-key').click();
    await expect(page.getByTestId('lifecycle')).toHaveAttribute('data-current', 'PendingDeletion');
    await expect(page.getByTestId('deletion-date')).toContainText('2026-01-12');
    await page.screenshot({ path: 'test-results/04-pending-deletion.png' });
    await page.getByTestId('clock-7d').click();
    await expect(page.getByTestId('clock')).toContainText('2026-01-12 09:00 UTC');
    await expect(page.getByTestId('key-item')).toHaveCount(0);
    await page.getByTestId('tab-key').click();
    await expect(page.getByTestId('key-inspector')).toHaveAttribute('data-state', 'Deleted');
    await expect(page.getByTestId('lifecycle')).toHaveAttribute('data-current', 'Deleted');
    await page.getByTestId('tab-call').click();
    await expect(page.getByTestId('clock-inspector')).toContainText('DeleteKey');
    await page.screenshot({ path: 'test-results/05-deleted.png' });
    expect(pageErrors(page)).toEqual([]);
  });
});

test('rotation: old ciphertext still decrypts after a year of rotations', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await createKey(page, 'alias/e2e-rotating');
  await act(page, 'Encrypt', { KeyId: 'alias/e2e-rotating', Plaintext: 'written before rotation', EncryptionContext: '' });
  await expectLast(page, 'Encrypt', 'OK');
  await page.getByTestId('action-select').selectOption('Decrypt');
  const blob = await page.getByTestId('field-CiphertextBlob').inputValue();
  expect(blob.length).toBeGreaterThan(100);

  // Rotation actions take a key id, not an alias: the page says so.
  await act(page, 'EnableKeyRotation', { RotationPeriodInDays: '90' });
  await expectLast(page, 'EnableKeyRotation', 'NotFoundException');
  await expect(page.getByTestId('explanation')).toContainText('an alias is not accepted here');
  await page.getByTestId('key-item').first().click();
  await act(page, 'EnableKeyRotation', { RotationPeriodInDays: '80' });
  await expectLast(page, 'EnableKeyRotation', 'ValidationException');
  await act(page, 'EnableKeyRotation', { RotationPeriodInDays: '90' });
  await expectLast(page, 'EnableKeyRotation', 'OK');
  await act(page, 'RotateKeyOnDemand');
  await expectLast(page, 'RotateKeyOnDemand', 'OK');
  await page.getByTestId('clock-1y').click();
  await expect(page.getByTestId('clock')).toContainText('2027-01-05');

  await act(page, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: '' });
  await expectLast(page, 'Decrypt', 'OK');
  await expect(page.getByTestId('decrypted-text')).toContainText('written before rotation');

  await page.getByTestId('key-item').first().click();
  await expect(page.getByTestId('rotation-status')).toContainText('on, every 90 days');
  // One on-demand rotation and four automatic ones (every 90 days within 365).
  await expect(page.getByTestId('rotation-row')).toHaveCount(5);
  await expect(page.getByTestId('rotations-table')).toContainText('ON_DEMAND');
  await expect(page.getByTestId('rotations-table')).toContainText('AUTOMATIC');
  await page.screenshot({ path: 'test-results/06-rotations.png' });
  const before = await timelineCount(page);
  await page.getByTestId('list-rotations').click();
  await waitCalls(page, before);
  await expectLast(page, 'ListKeyRotations', 'OK');
  await expect(page.getByTestId('response-json')).toContainText('"RotationType": "ON_DEMAND"');
  expect(pageErrors(page)).toEqual([]);
});

test('asymmetric: sign and verify, download the PEM, encrypt outside KMS and decrypt inside', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await createKey(page, 'alias/e2e-signer', 'RSA_2048', 'SIGN_VERIFY');
  await act(page, 'Sign', { KeyId: 'alias/e2e-signer', Message: 'release 1.0 is genuine', SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
  await expectLast(page, 'Sign', 'OK');
  let before = await timelineCount(page);
  await page.getByTestId('quick-verify').click();
  await waitCalls(page, before);
  await expectLast(page, 'Verify', 'OK');
  await expect(page.getByTestId('response-json')).toContainText('"SignatureValid": true');
  // A changed message fails verification.
  await act(page, 'Verify', { Message: 'release 1.0 is genuine!' });
  await expectLast(page, 'Verify', 'KMSInvalidSignatureException');

  await createKey(page, 'alias/e2e-rsa', 'RSA_2048', 'ENCRYPT_DECRYPT');
  await act(page, 'GetPublicKey', { KeyId: 'alias/e2e-rsa' });
  await expectLast(page, 'GetPublicKey', 'OK');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pem').click()]);
  expect(download.suggestedFilename()).toMatch(/\.pem$/);
  const path = await download.path();
  const fs = await import('node:fs/promises');
  const pemText = await fs.readFile(path!, 'utf8');
  expect(pemText).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);

  await page.getByTestId('outside-plaintext').fill('sealed in the browser');
  await page.getByTestId('outside-alg').selectOption('RSAES_OAEP_SHA_256');
  await page.getByTestId('outside-encrypt').click();
  await expect(page.getByTestId('outside-ciphertext')).toBeVisible();
  await page.screenshot({ path: 'test-results/07-rsa-outside.png' });
  before = await timelineCount(page);
  await page.getByTestId('outside-decrypt').click();
  await waitCalls(page, before);
  await expectLast(page, 'Decrypt', 'OK');
  await expect(page.getByTestId('request-json')).toContainText('"EncryptionAlgorithm": "RSAES_OAEP_SHA_256"');
  await expect(page.getByTestId('decrypted-text')).toContainText('sealed in the browser');

  // RSA inside KMS too: the blob has no kms-lab layout, and Decrypt is sent with KeyId and algorithm.
  await act(page, 'Encrypt', {
    KeyId: 'alias/e2e-rsa',
    Plaintext: 'sealed by KMS',
    EncryptionContext: '',
    EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
  });
  await expectLast(page, 'Encrypt', 'OK');
  await expect(page.getByTestId('anatomy')).toContainText('not a kms-lab symmetric ciphertext');
  before = await timelineCount(page);
  await page.getByTestId('quick-decrypt').click();
  await waitCalls(page, before);
  await expectLast(page, 'Decrypt', 'OK');
  await expect(page.getByTestId('request-json')).toContainText('"EncryptionAlgorithm": "RSAES_OAEP_SHA_1"');
  await expect(page.getByTestId('decrypted-text')).toContainText('sealed by KMS');
  expect(pageErrors(page)).toEqual([]);
});
