/**
 * Key policy documents: the default policy AWS writes, and the structural checks that make
 * PutKeyPolicy/CreateKey answer MalformedPolicyDocumentException. Evaluation (who may do what)
 * belongs to the access-control issue; these checks only refuse documents AWS refuses.
 * The exact wording of AWS's MalformedPolicyDocumentException reasons is not recorded in our
 * references; the reasons below are ours and say precisely what is wrong.
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

const malformed = (why: string) => new AwsError('MalformedPolicyDocumentException', why);

export function checkPolicyDocument(text: string): void {
  if (new TextEncoder().encode(text).length > MAX_POLICY_BYTES) {
    throw new AwsError('LimitExceededException', `Policy document exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(`The policy is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('The policy must be a JSON object.');
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw malformed(`Unsupported policy Version ${JSON.stringify(d.Version)}.`);
  }
  const st = d.Statement;
  const list = Array.isArray(st) ? st : st && typeof st === 'object' ? [st] : null;
  if (!list || list.length === 0) throw malformed('The policy must contain at least one Statement.');
  list.forEach((s, i) => {
    const where = `Statement ${i + 1}`;
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed(`${where} must be a JSON object.`);
    const x = s as Record<string, unknown>;
    if (x.Effect !== 'Allow' && x.Effect !== 'Deny') throw malformed(`${where}: Effect must be "Allow" or "Deny".`);
    if (x.Principal === undefined && x.NotPrincipal === undefined)
      throw malformed(`${where}: a key policy statement must name a Principal.`);
    if (x.Action === undefined && x.NotAction === undefined) throw malformed(`${where}: Action or NotAction is required.`);
    const actions = [x.Action ?? x.NotAction].flat();
    for (const a of actions) {
      if (typeof a !== 'string' || !(a === '*' || /^kms:[A-Za-z*?]+$/.test(a))) {
        throw malformed(`${where}: ${JSON.stringify(a)} is not a KMS action (expected "kms:<Action>" or "*").`);
      }
    }
  });
}
