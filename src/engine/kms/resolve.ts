/**
 * Turning a KeyId parameter (key id, key ARN, alias name, alias ARN) into a stored key, with
 * AWS's answers for each way it can go wrong (reference/kms-api.md §2.1 and §4.2).
 */
import { AwsError } from '../errors';
import type { RequestContext } from '../world';
import type { KmsKey } from './key';
import { isKeyIdFormat } from './ciphertext';
import type { KmsService } from './service';
import { AWS_MANAGED_SERVICES, viaServiceOf } from './managed-keys';

export interface ResolveOptions {
  /** Crypto operations and DescribeKey accept alias names and alias ARNs; management calls do not. */
  aliases: boolean;
  /** Whether a key ARN in another account may be named (crypto operations, DescribeKey, GetPublicKey). */
  crossAccount: boolean;
}

const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

export type KeyRef = { kind: 'key-id' | 'key-arn' | 'alias-name' | 'alias-arn'; key: KmsKey };

export function resolveKey(ctx: RequestContext, kms: KmsService, keyId: string, opts: ResolveOptions): KeyRef {
  const { region, account } = ctx;
  if (keyId.startsWith('arn:')) {
    const km = KEY_ARN.exec(keyId);
    const am = km ? null : ALIAS_ARN.exec(keyId);
    const m = km ?? am;
    if (!m) throw new AwsError('NotFoundException', `Invalid arn ${keyId}`); // uncertain: AWS's text for a malformed ARN
    const [, arnRegion, arnAccount, rest] = m as unknown as [string, string, string, string];
    if (arnRegion !== region) throw new AwsError('NotFoundException', `Invalid arn ${arnRegion}`);
    if (am) {
      // Another account's key may be named by its alias ARN in the operations that work across
      // accounts ("use its key ARN or alias ARN"); an alias *name* always means the caller's account.
      if (!opts.aliases || (arnAccount !== account && !opts.crossAccount))
        throw new AwsError('NotFoundException', `Invalid keyId ${keyId}`);
      return { kind: 'alias-arn', key: aliasTarget(ctx, kms, region, arnAccount, rest) };
    }
    if (!isKeyIdFormat(rest)) throw new AwsError('NotFoundException', `Invalid keyId '${rest}'`);
    if (arnAccount !== account && !opts.crossAccount) {
      // Management of another account's key is never allowed through a key policy.
      throw new AwsError(
        'AccessDeniedException',
        `User: ${ctx.principal.arn} is not authorized to perform: kms:${ctx.action} on resource: ${keyId} because no resource-based policy allows the kms:${ctx.action} action`,
      );
    }
    const key = kms.keys.get(keyId);
    if (!key) throw new AwsError('NotFoundException', `Key '${keyId}' does not exist`);
    return { kind: 'key-arn', key };
  }
  if (keyId.startsWith('alias/')) {
    if (!opts.aliases) throw new AwsError('NotFoundException', `Invalid keyId ${keyId}`);
    return { kind: 'alias-name', key: aliasTarget(ctx, kms, region, account, keyId) };
  }
  if (!isKeyIdFormat(keyId)) throw new AwsError('NotFoundException', `Invalid keyId '${keyId}'`);
  const arn = kms.keyArn(region, account, keyId);
  const key = kms.keys.get(arn);
  if (!key) throw new AwsError('NotFoundException', `Key '${arn}' does not exist`);
  return { kind: 'key-id', key };
}

function aliasTarget(ctx: RequestContext, kms: KmsService, region: string, aliasAccount: string, name: string): KmsKey {
  const aliasArn = `arn:aws:kms:${region}:${aliasAccount}:${name}`;
  const alias = kms.aliases.get(aliasArn);
  if (!alias) {
    // A predefined alias gets its AWS managed key on the service's first use, or when
    // DescribeKey names it (DescribeKey API reference).
    const service = name.startsWith('alias/aws/') ? name.slice('alias/aws/'.length) : undefined;
    if (service && AWS_MANAGED_SERVICES.includes(service) && (ctx.action === 'DescribeKey' || ctx.via === viaServiceOf(service))) {
      const key = kms.awsManagedKey(aliasAccount, region, service);
      if (key) return key;
    }
    throw new AwsError('NotFoundException', `Alias ${aliasArn} is not found.`);
  }
  const key = kms.keys.get(kms.keyArn(region, aliasAccount, alias.targetKeyId));
  if (!key) throw new AwsError('NotFoundException', `Alias ${aliasArn} is not found.`);
  return key;
}
