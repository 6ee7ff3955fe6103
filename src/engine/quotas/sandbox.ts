/**
 * The sandbox's side of the quota rules: which quota one KMS request counts against. A
 * cryptographic operation's quota depends on its key's spec (symmetric, RSA, ECC), so this
 * looks the key up without side effects and without errors: a request whose key cannot be
 * found counts against the symmetric quota and then fails in its handler as it would anyway.
 * (Uncertain: whether AWS counts a request that later fails with NotFoundException; we assume
 * it does, since throttling is decided before the request is processed.)
 */
import { parseBlob } from '../kms/ciphertext';
import type { KmsService } from '../kms/service';
import type { QuotaQuery } from './families';
import { dependsOnKeySpec } from './families';

const KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/.+$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

function peekKeySpec(kms: KmsService, region: string, account: string, keyId: unknown): string | undefined {
  if (typeof keyId !== 'string' || !keyId) return undefined;
  if (KEY_ARN.test(keyId)) return kms.keys.get(keyId)?.keySpec;
  let aliasArn: string | undefined;
  const am = ALIAS_ARN.exec(keyId);
  if (am) aliasArn = keyId;
  else if (keyId.startsWith('alias/')) aliasArn = `arn:aws:kms:${region}:${account}:${keyId}`;
  if (aliasArn) {
    const alias = kms.aliases.get(aliasArn);
    return alias ? kms.keys.get(kms.keyArn(alias.region, alias.account, alias.targetKeyId))?.keySpec : undefined;
  }
  return kms.keys.get(kms.keyArn(region, account, keyId))?.keySpec;
}

/** The quota query for one sandbox request (the caller's account and Region are the bucket's). */
export function sandboxQuotaQuery(kms: KmsService, region: string, account: string, action: string, input: unknown): QuotaQuery {
  const i = (input ?? {}) as Record<string, unknown>;
  const q: QuotaQuery = { action, region };
  if (typeof i.KeyPairSpec === 'string') q.keyPairSpec = i.KeyPairSpec;
  if (!dependsOnKeySpec(action)) return q;
  // ReEncrypt counts against the destination key's quota here (uncertain: AWS may count both keys).
  let spec = peekKeySpec(kms, region, account, action === 'ReEncrypt' ? i.DestinationKeyId : i.KeyId);
  if (!spec && i.CiphertextBlob instanceof Uint8Array) {
    const parsed = parseBlob(i.CiphertextBlob);
    if (parsed) spec = peekKeySpec(kms, region, account, parsed.keyId);
  }
  if (spec) q.keySpec = spec;
  return q;
}
