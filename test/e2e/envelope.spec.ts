import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { open, pageErrors } from './helpers';

async function openLab(page: Page): Promise<void> {
  await open(page);
  await page.getByTestId('mode-envelope').click();
  await expect(page.getByTestId('envelope-lab')).toBeVisible();
}

async function encrypt(page: Page): Promise<void> {
  await page.getByTestId('env-encrypt').click();
  await expect(page.getByTestId('env-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('env-encrypt')).toBeEnabled();
}

async function decrypt(page: Page): Promise<void> {
  await page.getByTestId('env-decrypt').click();
  await expect(page.getByTestId('env-decrypt')).toBeEnabled({ timeout: 30_000 });
}

test('KMS envelope: encrypt 1 MiB in frames, read the anatomy, decrypt, tamper, wrong context, download and upload', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('env-create-key').click();
  await expect(page.getByTestId('env-key').locator('option')).toHaveCount(1);
  await encrypt(page);
  const steps = page.getByTestId('env-steps');
  await expect(steps).toContainText('GenerateDataKey');
  await expect(steps).toContainText('zeroed its copy of the plaintext data key');
  await expect(page.getByTestId('env-progress')).toContainText('MiB/s');
  await expect(page.getByTestId('env-summary')).toContainText('suite 0x0578');

  const field = (label: string) => page.locator(`[data-testid="anatomy-field"][data-label="${label}"]`);
  for (const label of [
    'Version',
    'Algorithm suite ID',
    'Message ID',
    'Encryption context',
    'EDK #1 provider ID',
    'EDK #1 provider info',
    'Frame length',
    'Header authentication tag',
    'Frame 1 IV',
    'Final frame sequence number',
    'Signature length',
  ]) {
    await expect(field(label).first()).toBeVisible();
  }
  await field('EDK #1 provider ID').first().getByRole('button').click();
  await expect(page.getByTestId('anatomy-detail')).toContainText('aws-kms');
  await field('Signature (ECDSA P-384, DER)').first().getByRole('button').click();
  await expect(page.getByTestId('anatomy-detail')).toContainText('part of the footer');
  await field('Frame 1 sequence number').first().getByRole('button').click();
  await expect(page.getByTestId('anatomy-detail')).toContainText('00 00 00 01');

  await decrypt(page);
  await expect(page.getByTestId('env-decrypted')).toContainText('Decrypted 1.0 MiB');

  // Tamper with one bit of frame 1's ciphertext: decryption stops with the reason.
  const frame1 = await field('Frame 1 encrypted content').first().locator('td').first().textContent();
  await page.getByTestId('env-tamper-offset').fill(String(Number(frame1!.split('–')[0]) + 10));
  await page.getByTestId('env-tamper').click();
  await expect(page.getByTestId('env-tampered')).toBeVisible();
  await decrypt(page);
  await expect(page.getByTestId('env-decrypt-error')).toContainText('Frame 1 failed authentication');
  await expect(page.getByTestId('env-decrypted')).toHaveCount(0);

  // Untampered, but the wrong encryption context is expected.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByTestId('env-decrypt-context').fill('purpose=something-else');
  await decrypt(page);
  await expect(page.getByTestId('env-decrypt-error')).toContainText('Encryption context mismatch');
  await page.getByTestId('env-decrypt-context').fill('');

  // Download the message, upload it again, decrypt it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('env-download').click()]);
  const bytes = readFileSync((await download.path())!);
  expect(bytes[0]).toBe(2);
  await page.getByTestId('env-upload').setInputFiles({ name: 'message.encrypted', mimeType: 'application/octet-stream', buffer: bytes });
  await decrypt(page);
  await expect(page.getByTestId('env-decrypted')).toContainText('Decrypted 1.0 MiB');
  expect(pageErrors(page)).toEqual([]);
});

test('raw AES keyring with a file, the wrong wrapping key, and a two-Region multi-keyring', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('env-keyring').selectOption('raw-aes');
  await page.getByTestId('env-suite').selectOption(String(0x0478));
  await page.getByTestId('env-frame-length').fill('100');
  await page.getByTestId('env-file').setInputFiles({
    name: 'note.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Envelope encryption, framed in 100-byte frames. '.repeat(20)),
  });
  await encrypt(page);
  await expect(page.getByTestId('env-steps')).toContainText('no KMS call');
  await expect(page.getByTestId('env-summary')).toContainText('frame length 100');
  await decrypt(page);
  await expect(page.getByTestId('env-decrypted')).toContainText('Envelope encryption, framed');
  await page.getByTestId('env-decrypt-keyring').selectOption('raw-aes-other');
  await decrypt(page);
  await expect(page.getByTestId('env-decrypt-error')).toContainText('Unable to decrypt data key');

  await page.getByTestId('env-keyring').selectOption('kms-two-regions');
  await page.getByTestId('env-decrypt-keyring').selectOption('same');
  await encrypt(page);
  await expect(page.locator('[data-testid="anatomy-field"][data-label="EDK #2 provider info"]')).toContainText('us-west-2');
  for (const one of ['kms-east', 'kms-west']) {
    await page.getByTestId('env-decrypt-keyring').selectOption(one);
    await decrypt(page);
    await expect(page.getByTestId('env-decrypted')).toBeVisible();
  }
  expect(pageErrors(page)).toEqual([]);
});

test('data key caching saves GenerateDataKey calls; a data key fetched now is decrypted later', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('env-create-key').click();
  await page.getByTestId('cache-max-messages').fill('10');
  await page.getByTestId('cache-run').click();
  await expect(page.getByTestId('cache-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('cache-messages')).toHaveText('200');
  await expect(page.getByTestId('cache-calls')).toHaveText('20');
  await expect(page.getByTestId('cache-trail')).toHaveText('20');
  await expect(page.getByTestId('cache-saved')).toHaveText('180');

  await page.getByTestId('deferred-fetch').click();
  await expect(page.getByTestId('deferred-edk')).toContainText('EDK');
  await page.getByTestId('deferred-write').click();
  await expect(page.getByTestId('deferred-written')).toContainText('KMS Decrypt gave back the data key');
  expect(pageErrors(page)).toEqual([]);
});
