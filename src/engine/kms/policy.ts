/**
 * Key policy documents: the default policy AWS writes and the size limit. Parsing and the
 * MalformedPolicyDocumentException checks are in iam/policy/document.ts; the lockout safety
 * check and evaluation in kms/authorize.ts.
 */
import { AwsError } from '../errors';

/** The default key policy, formatted as KMS returns it (Jackson's pretty printer: `"a" : b`). */
export function defaultKeyPolicy(account: string): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:aws:iam::${account}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}

/** Key policies may be at most 32 KB although the API model allows 131,072 characters. */
export const MAX_POLICY_BYTES = 32_768;

/** The 32 KB limit, checked before the document is parsed (iam/policy/document.ts). */
export function checkPolicySize(text: string): void {
  if (text.length > MAX_POLICY_BYTES / 4 && new TextEncoder().encode(text).length > MAX_POLICY_BYTES) {
    throw new AwsError('LimitExceededException', `Policy document exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  }
}
