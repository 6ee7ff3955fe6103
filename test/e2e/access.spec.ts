import { expect, test, type Page } from '@playwright/test';
import { act, createKey, expectLast, keyItem, open, pageErrors, timelineCount, waitCalls } from './helpers';

const ACCOUNT = '111122223333';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** The last timeline entry (for calls sent from an inspector panel, which stays on its tab). */
async function lastIs(page: Page, action: string, status: string): Promise<void> {
  const last = page.getByTestId('timeline-item').last();
  await expect(last).toHaveAttribute('data-action', action);
  await expect(last).toHaveAttribute('data-status', status);
}

async function actAs(page: Page, name: string): Promise<void> {
  await page.getByTestId('principal').selectOption(role(name));
  await expect(page.getByTestId('principal')).toHaveValue(role(name));
}

test.describe('access: key policies, IAM, grants and the explanation of every decision', () => {
  test('a Developer is denied Encrypt, and the page says which rule decided; permissive mode lets it through', async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await open(page);
    await createKey(page, 'alias/e2e-access');

    await actAs(page, 'Developer');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-access', Plaintext: 'hello', EncryptionContext: '' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    await expect(page.getByTestId('error-box')).toContainText(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/Developer/kms-lab is not authorized to perform: kms:Encrypt`,
    );
    await expect(page.getByTestId('explanation')).toContainText('Why AccessDeniedException?');

    const panel = page.getByTestId('auth-explain').first();
    await expect(panel).toHaveAttribute('open', '');
    await expect(panel.getByTestId('auth-decision')).toHaveText('Deny');
    await expect(panel.getByTestId('auth-rule')).toHaveAttribute('data-rule', 'no-identity-policy-allow');
    await expect(panel.getByTestId('auth-reason')).toContainText('no IAM policy of the caller allows kms:Encrypt');
    // Every statement considered: the key policy's delegation to the account (matched) and the
    // Developer's read-only policy (not matched).
    const rows = panel.getByTestId('considered-row');
    await expect(rows.filter({ hasText: 'key policy' }).filter({ hasText: 'Enable IAM User Permissions' })).toHaveAttribute(
      'data-matched',
      'true',
    );
    await expect(rows.filter({ hasText: 'inline policy KmsReadOnly of role Developer' })).toHaveAttribute('data-matched', 'false');
    await expect(panel.getByTestId('auth-implicit')).toContainText('implicit deny');

    // The flow stops at IAM: the key state is never checked, the HSM never visited, and IAM says Deny.
    await expect(page.getByTestId('flow')).toHaveAttribute('data-outcome', 'fail');
    await expect(page.locator('.flow-node.visited[data-node="IAM"]')).toHaveCount(1);
    await expect(page.locator('.flow-node.visited[data-node="HSM"]')).toHaveCount(0);
    await expect(page.getByTestId('flow-steps')).not.toContainText('key state is');
    await expect(page.locator('.flow-badge[data-for="IAM"]')).toHaveText('Deny');
    await page.setViewportSize({ width: 1440, height: 1100 });
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/access.png' });
    await page.getByTestId('large-type').check();
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/access-large.png' });
    await page.getByTestId('large-type').uncheck();

    // A key policy row's line number opens the key policy at that line.
    await rows.filter({ hasText: 'Enable IAM User Permissions' }).getByTestId('considered-line').click();
    await expect(page.getByTestId('tab-key')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('key-policy-editor-mark-line')).toHaveText('4');

    // An explicit Deny is decisive: attach one to the Developer (as Admin) and try again.
    await actAs(page, 'Admin');
    await page.getByTestId('tab-iam').click();
    const dev = page.getByTestId('iam-entity').filter({ has: page.locator('strong', { hasText: /^Developer$/ }) });
    await dev.getByTestId('iam-add-inline').click();
    await page.getByTestId('inline-name').fill('NoEncrypt');
    await page
      .getByTestId('inline-editor-text')
      .fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }] }, null, 2));
    const before = await timelineCount(page);
    await page.getByTestId('inline-save').click();
    await waitCalls(page, before);
    await lastIs(page, 'PutRolePolicy', 'OK');
    await page.getByTestId('tab-iam').click();
    await expect(dev.getByTestId('iam-inline').filter({ hasText: 'NoEncrypt' })).toBeVisible();
    await actAs(page, 'Developer');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-access' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    const decisive = page.getByTestId('considered-row').and(page.locator('[data-decisive="true"]'));
    await expect(decisive).toHaveCount(1);
    await expect(decisive).toContainText('NoEncrypt');
    await expect(decisive).toContainText('Deny');
    await expect(page.getByTestId('auth-rule')).toHaveAttribute('data-rule', 'explicit-deny');

    // Permissive mode: the call goes through, and the page says it would have been denied.
    await page.getByTestId('permissive').check();
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-access' });
    await expectLast(page, 'Encrypt', 'OK');
    await expect(page.getByTestId('auth-permissive')).toContainText('would be Deny');
    await expect(page.getByTestId('auth-decision')).toHaveText('Deny');
    await expect(page.locator('.flow-badge').filter({ hasText: 'Allow (would be Deny)' })).toHaveCount(1);
    await expect(page.getByTestId('flow-steps')).toContainText('would be Deny');

    // The switch is saved with the sandbox.
    await expect(page.getByTestId('save-status')).toContainText('Saved', { timeout: 10_000 });
    await page.reload();
    await expect(page.getByTestId('send')).toBeEnabled();
    await expect(page.getByTestId('permissive')).toBeChecked();
    await page.getByTestId('permissive').uncheck();
    expect(pageErrors(page)).toEqual([]);
  });

  test('the key policy editor marks the line of a malformed policy, and the lockout check refuses a policy that locks you out', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await open(page);
    await createKey(page, 'alias/e2e-policy');
    await keyItem(page, 'alias/e2e-policy').click();
    const editor = page.getByTestId('key-policy-editor-text');
    await expect(editor).toHaveValue(/Enable IAM User Permissions/);

    // Broken JSON (a trailing comma on line 4).
    await editor.fill('{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", }\n  ]\n}');
    let before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await lastIs(page, 'PutKeyPolicy', 'MalformedPolicyDocumentException');
    await expect(page.getByTestId('key-policy-editor-error')).toContainText('MalformedPolicyDocumentException');
    await expect(page.getByTestId('key-policy-editor-error')).toContainText('Line 4');
    await expect(page.getByTestId('key-policy-editor-bad-line')).toHaveText('4');

    // Valid JSON, but a statement element that does not exist: the line of that statement.
    await page.getByTestId('key-policy-editor-template').selectOption('users-admins');
    await expect(editor).toHaveValue(/Allow access for Key Administrators/);
    const text = (await editor.inputValue()).replace(
      '"Sid": "Allow use of the key"',
      '"Sid": "Allow use of the key",\n      "Efect": "Allow"',
    );
    await editor.fill(text);
    before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await page.getByTestId('tab-key').click();
    await expect(page.getByTestId('key-policy-editor-error')).toContainText('Efect');
    const line = text.split('\n').findIndex((l) => l.includes('"Efect"')) + 1;
    await expect(page.getByTestId('key-policy-editor-bad-line')).toHaveText(String(line));

    // A policy that would lock the Admin out is refused unless the check is bypassed.
    await editor.fill(
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: role('AppRole') }, Action: 'kms:Encrypt', Resource: '*' }],
        },
        null,
        2,
      ),
    );
    before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await expect(page.getByTestId('key-policy-editor-error')).toContainText('will not allow you to update the key policy in the future');
    // The call itself is on the timeline, selected, with the page's explanation.
    await page.getByTestId('tab-call').click();
    await expectLast(page, 'PutKeyPolicy', 'MalformedPolicyDocumentException');
    await expect(page.getByTestId('explanation')).toContainText('lockout safety check');

    // The template inserted as is is accepted.
    await page.getByTestId('tab-key').click();
    await page.getByTestId('key-policy-editor-template').selectOption('users-admins');
    before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await lastIs(page, 'PutKeyPolicy', 'OK');
    await page.screenshot({ path: '/tmp/key-tab.png' });

    // The action bar's policy field is the same editor: line numbers and the bad line marked.
    await act(page, 'PutKeyPolicy', { Policy: '{\n  "Version": "2012-10-17",\n  "Statement": [],\n}' });
    await expectLast(page, 'PutKeyPolicy', 'MalformedPolicyDocumentException');
    await expect(page.getByTestId('ab-policy-bad-line')).toHaveText('4');
    await expect(page.getByTestId('ab-policy-error')).toContainText('not valid JSON');
    expect(pageErrors(page)).toEqual([]);
  });

  test('a grant lets AppRole use a key whose policy does not delegate to IAM: at once with its token, later without', async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await open(page);
    await createKey(page, 'alias/e2e-grant');
    await keyItem(page, 'alias/e2e-grant').click();

    // A key policy that names only the Admin role: IAM policies (AppRole's UseKmsKeys) do not count.
    await page.getByTestId('key-policy-editor-text').fill(
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [{ Sid: 'AdminOnly', Effect: 'Allow', Principal: { AWS: role('Admin') }, Action: 'kms:*', Resource: '*' }],
        },
        null,
        2,
      ),
    );
    let before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await lastIs(page, 'PutKeyPolicy', 'OK');

    // Without a grant, AppRole is denied: the key policy does not delegate to IAM.
    await actAs(page, 'AppRole');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-grant', Plaintext: 'for the app', EncryptionContext: '', GrantTokens: '' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    await expect(page.getByTestId('auth-rule')).toHaveAttribute('data-rule', 'no-resource-policy-allow');

    // As Admin, create a grant for AppRole (Encrypt, Decrypt) in the key inspector.
    await actAs(page, 'Admin');
    await page.getByTestId('tab-key').click();
    await page.getByTestId('grant-form').locator('summary').click();
    await page.getByTestId('grant-grantee').selectOption(role('AppRole'));
    await page.getByTestId('grant-name').fill('app-grant');
    before = await timelineCount(page);
    await page.getByTestId('grant-create').click();
    await waitCalls(page, before);
    await expect(page.getByTestId('grant-created')).toContainText('AQpA');
    await expect(page.getByTestId('timeline-item').last()).toHaveAttribute('data-status', 'OK');
    await expect(page.getByTestId('grant-row')).toHaveCount(1);
    await expect(page.getByTestId('grant-row')).toContainText('not yet consistent');
    await page.getByTestId('grants').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/grants.png' });
    await page.getByTestId('grant-use-token').click();
    await expect(page.getByTestId('action-select')).toHaveValue('Encrypt');
    await expect(page.getByTestId('field-GrantTokens')).toHaveValue(/^AQpA/);

    // As AppRole with the token: allowed by the grant.
    await actAs(page, 'AppRole');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-grant' });
    await expectLast(page, 'Encrypt', 'OK');
    await expect(page.getByTestId('auth-rule')).toHaveAttribute('data-rule', 'grant-allows');
    await expect(page.getByTestId('considered-row').and(page.locator('[data-decisive="true"]'))).toContainText('app-grant');

    // Without the token, the grant is not consistent yet (five virtual minutes).
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-grant', GrantTokens: '' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    await page.getByTestId('clock-1h').click();
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-grant', GrantTokens: '' });
    await expectLast(page, 'Encrypt', 'OK');

    // The action bar lists the grant actions; Admin revokes the grant, and AppRole is denied again.
    await actAs(page, 'Admin');
    await keyItem(page, 'alias/e2e-grant').click();
    await act(page, 'ListGrants', { GrantId: '' });
    await expectLast(page, 'ListGrants', 'OK');
    await expect(page.getByTestId('response-json')).toContainText('"Name": "app-grant"');
    await page.getByTestId('tab-key').click();
    before = await timelineCount(page);
    await page.getByTestId('grant-revoke').click();
    await waitCalls(page, before);
    await lastIs(page, 'RevokeGrant', 'OK');
    await page.getByTestId('tab-key').click();
    await expect(page.getByTestId('grant-row')).toHaveCount(0);
    await actAs(page, 'AppRole');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-grant', GrantTokens: '' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    expect(pageErrors(page)).toEqual([]);
  });

  test('via an AWS service: a key usable only through S3; IAM users and managed policies from the IAM tab', async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await open(page);
    await createKey(page, 'alias/e2e-via');
    await keyItem(page, 'alias/e2e-via').click();
    await page.getByTestId('key-policy-editor-template').selectOption('via-s3');
    let before = await timelineCount(page);
    await page.getByTestId('key-policy-save').click();
    await waitCalls(page, before);
    await lastIs(page, 'PutKeyPolicy', 'OK');

    // AppRole directly: denied. Through S3: allowed (kms:ViaService = s3.us-east-1.amazonaws.com).
    await actAs(page, 'AppRole');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-via', Plaintext: 'object key', EncryptionContext: '', GrantTokens: '' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    await page.getByTestId('via').selectOption('s3');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-via' });
    await expectLast(page, 'Encrypt', 'OK');
    await expect(page.getByTestId('considered-row').and(page.locator('[data-decisive="true"]'))).toContainText('Allow use through S3 only');
    await page.getByTestId('via').selectOption('');

    // As Admin: create a user, give it PowerUser, and act as it.
    await actAs(page, 'Admin');
    await page.getByTestId('tab-iam').click();
    await page.getByTestId('iam-new-kind').selectOption('user');
    await page.getByTestId('iam-new-name').fill('Auditor');
    before = await timelineCount(page);
    await page.getByTestId('iam-create').click();
    await waitCalls(page, before);
    await lastIs(page, 'CreateUser', 'OK');
    const auditor = page.getByTestId('iam-entity').filter({ has: page.locator('strong', { hasText: /^Auditor$/ }) });
    await expect(auditor).toBeVisible();
    await auditor.getByTestId('iam-attach-choice').selectOption('arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser');
    before = await timelineCount(page);
    await auditor.getByRole('button', { name: 'Attach' }).click();
    await waitCalls(page, before);
    await lastIs(page, 'AttachUserPolicy', 'OK');
    await expect(auditor.getByTestId('iam-attached')).toContainText('AWSKeyManagementServicePowerUser');
    await page.screenshot({ path: '/tmp/iam-tab.png' });
    await expect(page.getByTestId('principal').locator('option', { hasText: 'Auditor' })).toHaveCount(1);
    await page.getByTestId('principal').selectOption(`arn:aws:iam::${ACCOUNT}:user/Auditor`);
    await act(page, 'ListKeys');
    await expectLast(page, 'ListKeys', 'OK');
    await act(page, 'Encrypt', { KeyId: 'alias/e2e-via' });
    await expectLast(page, 'Encrypt', 'AccessDeniedException');
    await expect(page.getByTestId('error-box')).toContainText(`User: arn:aws:iam::${ACCOUNT}:user/Auditor is not authorized`);

    // The predefined AWS managed aliases are listed, greyed, until their key exists.
    await page.getByTestId('principal').selectOption(role('Admin'));
    await page.getByTestId('predefined-aliases').locator('summary').click();
    const s3 = page.getByTestId('predefined-alias').filter({ hasText: 'alias/aws/s3' });
    await expect(s3).toContainText('not yet created');
    before = await timelineCount(page);
    await s3.getByRole('button', { name: 'DescribeKey' }).click();
    await waitCalls(page, before);
    await expectLast(page, 'DescribeKey', 'OK');
    await expect(keyItem(page, 'alias/aws/s3')).toContainText('AWS managed');
    await expect(page.getByTestId('predefined-alias').filter({ hasText: 'alias/aws/s3' })).toHaveCount(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
