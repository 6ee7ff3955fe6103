import { expect, test, type Page } from '@playwright/test';
import { open, pageErrors } from './helpers';

async function openLab(page: Page): Promise<void> {
  await open(page);
  await page.getByTestId('mode-s3').click();
  await expect(page.getByTestId('s3-lab')).toBeVisible();
}

async function createBucket(page: Page, name = 'lab-bucket-1'): Promise<void> {
  await page.getByTestId('s3-bucket-name').fill(name);
  await page.getByTestId('s3-create-bucket').click();
  await expect(page.getByTestId('s3-bucket-message')).toContainText(`Created ${name}`);
  await expect(page.getByTestId('s3-bucket-rule')).toContainText('AES256');
}

async function put(page: Page, expected: string): Promise<void> {
  await page.getByTestId('s3-put').click();
  await expect(page.getByTestId('s3-put-result')).toContainText(expected);
}

test('SSE-KMS upload: S3 calls KMS GenerateDataKey with aws:s3:arn, seen in the timeline and the flow view', async ({ page }) => {
  await openLab(page);
  await createBucket(page);
  await page.getByTestId('s3-mode').selectOption('SSE-KMS');
  await page.getByTestId('s3-context').fill('dept=finance');
  await put(page, 'ServerSideEncryption: aws:kms');

  const timeline = page.getByTestId('timeline-item');
  await expect(timeline.last()).toHaveAttribute('data-action', 'PutObject');
  const gdk = page.locator('[data-testid="timeline-item"][data-action="GenerateDataKey"]');
  await expect(gdk).toHaveCount(1);
  // The S3 request draws the S3 node; its steps include the machine's GenerateDataKey state.
  await expect(page.locator('.flow-node.node-S3')).toBeVisible();
  await expect(page.getByTestId('flow-steps')).toContainText('S3: GenerateDataKey');
  // The nested KMS call, opened from the timeline: its context is the object ARN plus the caller's pair.
  await gdk.click();
  await expect(page.getByTestId('flow-steps')).toContainText('aws:s3:arn');
  await expect(page.getByTestId('flow-steps')).toContainText('dept');
  await expect(page.getByTestId('s3-flowchart-path')).toContainText('Request → Authorizing → GenerateDataKey → Encrypting → Stored');

  await page.getByTestId('s3-get').click();
  await expect(page.getByTestId('s3-get-body')).toHaveText('Quarterly numbers: confidential.');
  await expect(page.locator('[data-testid="timeline-item"][data-action="Decrypt"]')).toHaveCount(1);
  expect(pageErrors(page)).toEqual([]);
});

test('a bucket policy denying non-KMS uploads answers AccessDenied; SSE-C get without the key fails', async ({ page }) => {
  await openLab(page);
  await createBucket(page);
  await page.getByTestId('s3-policy-template').selectOption('deny-non-kms');
  await page.getByTestId('s3-put-policy').click();
  await expect(page.getByTestId('s3-bucket-message')).toContainText('Bucket policy saved');
  await page.getByTestId('s3-mode').selectOption('SSE-S3');
  await put(page, 'AccessDenied');
  await page.getByTestId('s3-mode').selectOption('SSE-KMS');
  await put(page, 'aws:kms');
  await page.getByTestId('s3-delete-policy').click();
  await expect(page.getByTestId('s3-bucket-message')).toContainText('removed');

  // New buckets block SSE-C: the upload is refused until the block is lifted.
  await page.getByTestId('s3-mode').selectOption('SSE-C');
  await page.getByTestId('s3-ssec-generate').click();
  await expect(page.getByTestId('s3-ssec-md5')).not.toHaveValue('');
  await put(page, 'AccessDenied');
  await page.getByTestId('s3-block-ssec').uncheck();
  await expect(page.getByTestId('s3-bucket-message')).toContainText('SSE-C allowed');
  await put(page, 'SSECustomerKeyMD5');
  await page.getByTestId('s3-get-with-key').uncheck();
  await page.getByTestId('s3-get').click();
  await expect(page.getByTestId('s3-get-result')).toContainText('InvalidRequest');
  await page.getByTestId('s3-get-with-key').check();
  await page.getByTestId('s3-get').click();
  await expect(page.getByTestId('s3-get-body')).toHaveText('Quarterly numbers: confidential.');
  expect(pageErrors(page)).toEqual([]);
});

test('client-side encryption: S3 stores an ESDK message it cannot read', async ({ page }) => {
  await openLab(page);
  await createBucket(page);
  await page.getByTestId('s3-mode').selectOption('CSE');
  await page.getByTestId('s3-create-key').click();
  await expect(page.getByTestId('s3-kms-key').locator('option')).toHaveCount(1);
  await put(page, 'AES256');
  await expect(page.getByTestId('s3-esdk-summary')).toContainText('cannot read');
  await page.getByTestId('s3-get').click();
  await expect(page.getByTestId('s3-get-body')).toContainText('not text');
  await page.getByTestId('s3-esdk-decrypt').click();
  await expect(page.getByTestId('s3-get-body')).toHaveText('Quarterly numbers: confidential.');
  expect(pageErrors(page)).toEqual([]);
});

test('1,000 objects: a Bucket Key makes far fewer KMS requests; the modes compared; screenshot in large type', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('s3-bulk-run').click();
  const rows = page.getByTestId('s3-bulk-row');
  await expect(rows).toHaveCount(2, { timeout: 50_000 });
  const without = Number(await rows.nth(0).getAttribute('data-kms'));
  const withKey = Number(await rows.nth(1).getAttribute('data-kms'));
  expect(without).toBeGreaterThanOrEqual(1000);
  expect(withKey).toBeLessThan(without / 10);
  await expect(page.getByTestId('s3-bulk-saving')).toContainText('fewer KMS requests');

  await page.getByTestId('s3-compare-run').click();
  await expect(page.getByTestId('s3-compare-row')).toHaveCount(6);
  await expect(page.locator('[data-testid="s3-compare-row"][data-mode="SSE-S3"] [data-testid="s3-compare-kms"]')).toHaveText('none');
  await expect(page.locator('[data-testid="s3-compare-row"][data-mode="SSE-KMS"] [data-testid="s3-compare-kms"]')).toContainText(
    'GenerateDataKey',
  );

  await createBucket(page);
  await put(page, 'aws:kms');
  await page.getByTestId('large-type').check();
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', 'done', { timeout: 20_000 });
  await page.screenshot({ path: '/tmp/s3.png', fullPage: true });
  expect(pageErrors(page)).toEqual([]);
});
