/** GenerateMac, VerifyMac: HMAC with the key's secret, which never leaves KMS. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import { hmac, hmacVerify } from '../../crypto';
import { currentMaterial, macAlgorithmsOf, type KmsKey } from '../key';
import { MAC_ALGORITHMS, type KmsInput, type KmsOutput, type MacAlgorithmSpec } from '../shapes';
import { DryRunM, GrantTokensM, KeyIdM, validate } from '../validate';
import { CRYPTO, dryRun, requireUsage, useKey } from './common';

const HASH = { HMAC_SHA_224: 'SHA-224', HMAC_SHA_256: 'SHA-256', HMAC_SHA_384: 'SHA-384', HMAC_SHA_512: 'SHA-512' } as const;

/** The same values, in the order AWS lists them in its validation message (reference/kms-api.md §4.2). */
const MAC_ALGORITHMS_AWS_ORDER = [
  'HMAC_SHA_384',
  'HMAC_SHA_256',
  'HMAC_SHA_224',
  'HMAC_SHA_512',
] as const satisfies readonly (typeof MAC_ALGORITHMS)[number][];

const macShape = {
  Message: { t: 'blob', min: 1, max: 4096, required: true },
  KeyId: KeyIdM,
  MacAlgorithm: { t: 'enum', values: MAC_ALGORITHMS_AWS_ORDER, required: true },
  GrantTokens: GrantTokensM,
  DryRun: DryRunM,
} as const;

function macKey(rc: RequestContext, keyId: string, alg: MacAlgorithmSpec): { key: KmsKey; secret: Uint8Array } {
  const key = useKey(rc, keyId, CRYPTO);
  requireUsage(rc, key, 'GENERATE_VERIFY_MAC');
  if (!(macAlgorithmsOf(key) ?? []).includes(alg)) {
    throw new AwsError('InvalidKeyUsageException', `Algorithm ${alg} is incompatible with key spec ${key.keySpec}.`);
  }
  const m = currentMaterial(key);
  if (!m || m.kind !== 'hmac') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  return { key, secret: m.secret };
}

export async function GenerateMac(rc: RequestContext, input: KmsInput<'GenerateMac'>): Promise<KmsOutput<'GenerateMac'>> {
  validate(input, macShape);
  const { key, secret } = macKey(rc, input.KeyId, input.MacAlgorithm);
  dryRun(input);
  const mac = await hmac(HASH[input.MacAlgorithm], secret, input.Message);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: 'HMAC',
    algorithm: input.MacAlgorithm,
    bytesIn: input.Message.length,
    bytesOut: mac.length,
    ok: true,
  });
  return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
}

export async function VerifyMac(rc: RequestContext, input: KmsInput<'VerifyMac'>): Promise<KmsOutput<'VerifyMac'>> {
  validate(input, { ...macShape, Mac: { t: 'blob', min: 1, max: 6144, required: true } });
  const { key, secret } = macKey(rc, input.KeyId, input.MacAlgorithm);
  dryRun(input);
  const ok = await hmacVerify(HASH[input.MacAlgorithm], secret, input.Message, input.Mac);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: 'HMAC verify',
    algorithm: input.MacAlgorithm,
    bytesIn: input.Message.length,
    bytesOut: 0,
    ok,
    ...(ok ? {} : { detail: 'The MAC does not match this message under this key.' }),
  });
  if (!ok) throw new AwsError('KMSInvalidMacException', '');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
}
