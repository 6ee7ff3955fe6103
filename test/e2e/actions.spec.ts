import { expect, test } from '@playwright/test';
import { act, createKey, expectLast, keyItem, open, pageErrors, timelineCount, waitCalls } from './helpers';

test('the rest of the action bar: MACs, ECC, ReEncrypt, data keys, tags, policy, aliases, states', async ({ page }) => {
  test.setTimeout(180_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page);

  // HMAC: GenerateMac then VerifyMac (the MAC is prefilled).
  await createKey(page, 'alias/e2e-mac', 'HMAC_256', 'GENERATE_VERIFY_MAC');
  await act(page, 'GenerateMac', { KeyId: 'alias/e2e-mac', Message: 'order #42' });
  await expectLast(page, 'GenerateMac', 'OK');
  await act(page, 'VerifyMac', { Message: 'order #42' });
  await expectLast(page, 'VerifyMac', 'OK');
  await expect(page.getByTestId('response-json')).toContainText('"MacValid": true');
  await act(page, 'VerifyMac', { Message: 'order #43' });
  await expectLast(page, 'VerifyMac', 'KMSInvalidMacException');

  // ECC signing: the algorithm list follows the key.
  await createKey(page, 'alias/e2e-ecc', 'ECC_NIST_P256', 'SIGN_VERIFY');
  await act(page, 'Sign', { KeyId: 'alias/e2e-ecc', Message: 'hello' });
  await expect(page.getByTestId('field-SigningAlgorithm')).toHaveValue('ECDSA_SHA_256');
  await expectLast(page, 'Sign', 'OK');
  await act(page, 'GetPublicKey', { KeyId: 'alias/e2e-ecc' });
  await expectLast(page, 'GetPublicKey', 'OK');
  await expect(page.getByTestId('download-pem')).toBeVisible();
  await expect(page.getByTestId('outside-encrypt')).toHaveCount(0);

  // Symmetric: two keys, ReEncrypt from one to the other, data keys, tags, policy, aliases.
  await createKey(page, 'alias/e2e-a');
  await createKey(page, 'alias/e2e-b');
  await act(page, 'Encrypt', { KeyId: 'alias/e2e-a', Plaintext: 'move me', EncryptionContext: 'x=1' });
  await expectLast(page, 'Encrypt', 'OK');
  await act(page, 'ReEncrypt', { SourceEncryptionContext: 'x=1', DestinationKeyId: 'alias/e2e-b', DestinationEncryptionContext: 'y=2' });
  await expectLast(page, 'ReEncrypt', 'OK');
  await expect(page.getByTestId('anatomy')).toBeVisible();
  await act(page, 'Decrypt', { EncryptionContext: 'y=2' });
  await expectLast(page, 'Decrypt', 'OK');
  await expect(page.getByTestId('decrypted-text')).toContainText('move me');
  await act(page, 'GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/e2e-b', EncryptionContext: '' });
  await expectLast(page, 'GenerateDataKeyWithoutPlaintext', 'OK');
  await expect(page.getByTestId('response-json')).not.toContainText('"Plaintext"');

  await keyItem(page, 'alias/e2e-b').click();
  await act(page, 'TagResource', { Tags: 'team=blue\nenv=test' });
  await expectLast(page, 'TagResource', 'OK');
  await act(page, 'ListResourceTags');
  await expect(page.getByTestId('response-json')).toContainText('"TagValue": "blue"');
  await act(page, 'GetKeyPolicy');
  await expectLast(page, 'GetKeyPolicy', 'OK');
  await page.getByTestId('action-select').selectOption('PutKeyPolicy');
  await expect(page.getByTestId('field-Policy')).toHaveValue(/"Statement"/);
  await act(page, 'PutKeyPolicy');
  await expectLast(page, 'PutKeyPolicy', 'OK');
  await act(page, 'PutKeyPolicy', { Policy: '{ not json' });
  await expect(page.getByTestId('timeline-item').last()).toHaveAttribute('data-status', /Exception/);
  // The selected key (e2e-b) fills TargetKeyId: alias/e2e-a now points at it.
  await act(page, 'UpdateAlias', { AliasName: 'alias/e2e-a' });
  await expectLast(page, 'UpdateAlias', 'OK');
  await expect(keyItem(page, 'alias/e2e-b')).toContainText('alias/e2e-a');
  await act(page, 'ListAliases');
  await expectLast(page, 'ListAliases', 'OK');
  await act(page, 'DescribeKey', { KeyId: 'alias/e2e-b' });
  await expectLast(page, 'DescribeKey', 'OK');
  await act(page, 'ListKeys');
  await expectLast(page, 'ListKeys', 'OK');

  // Rotation status on and off.
  await keyItem(page, 'alias/e2e-b').click();
  await act(page, 'EnableKeyRotation', { RotationPeriodInDays: '' });
  await act(page, 'GetKeyRotationStatus');
  await expect(page.getByTestId('response-json')).toContainText('"RotationPeriodInDays": 365');
  await act(page, 'DisableKeyRotation');
  await expectLast(page, 'DisableKeyRotation', 'OK');

  // A key pending deletion: KMSInvalidStateException, explained, and the fix cancels the deletion.
  await act(page, 'ScheduleKeyDeletion', { PendingWindowInDays: '30' });
  await expectLast(page, 'ScheduleKeyDeletion', 'OK');
  await act(page, 'Encrypt', { KeyId: 'alias/e2e-b', Plaintext: 'nope', EncryptionContext: '' });
  await expectLast(page, 'Encrypt', 'KMSInvalidStateException');
  await expect(page.getByTestId('explanation')).toContainText('PendingDeletion');
  const before = await timelineCount(page);
  await page.getByTestId('fix-cancel-deletion').click();
  await waitCalls(page, before);
  await expectLast(page, 'CancelKeyDeletion', 'OK');
  await expect(keyItem(page, 'alias/e2e-b').getByTestId('key-state')).toHaveText('Disabled');

  // The CloudTrail tab lists every call.
  await page.getByTestId('tab-trail').click();
  await expect(page.getByTestId('trail-log')).toContainText('CancelKeyDeletion');
  await expect(page.getByTestId('trail-log')).toContainText('KMSInvalidStateException');
  await page.screenshot({ path: 'test-results/12-trail.png' });
  expect(pageErrors(page)).toEqual([]);
});
