/**
 * A broad session of KMS calls: every action, every simulated key type, successes and failures,
 * clock moves with deletion and automatic rotation. Used by the CloudTrail and leak tests.
 */
import { isAwsError, type CallRecord, type KmsClient, type World } from '../../src/engine';
import { ADMIN, APP, OTHER, utf8 } from './helpers';

export interface Session {
  records: CallRecord[];
  /** Keys created during the session, by purpose. */
  keys: Record<string, { KeyId: string; Arn: string }>;
}

/** Sends and swallows AWS errors (they are part of the session); anything else propagates. */
async function call(kms: KmsClient, action: string, input: unknown): Promise<unknown> {
  try {
    return await kms.send(action as never, input as never);
  } catch (e) {
    if (!isAwsError(e)) throw e;
    return undefined;
  }
}

/** `rsa: false` leaves out RSA keys (slow to generate) for tests that do not need them. */
export async function broadSession(world: World, { rsa = true }: { rsa?: boolean } = {}): Promise<Session> {
  const records: CallRecord[] = [];
  const stop = world.onCall((r) => records.push(r));
  const kms = world.client('kms', { principal: ADMIN });
  const root = world.client('kms', { principal: 'arn:aws:iam::111122223333:root' });
  const partner = world.client('kms', { principal: `arn:aws:iam::${OTHER}:role/Partner` });
  const keys: Session['keys'] = {};
  const mk = async (name: string, input: object) => {
    const out = (await kms.send('CreateKey', input as never)) as { KeyMetadata: { KeyId: string; Arn: string } };
    keys[name] = out.KeyMetadata;
    return out.KeyMetadata;
  };

  const sym = await mk('sym', { Description: 'session key', Tags: [{ TagKey: 'team', TagValue: 'blue' }] });
  const sym2 = await mk('sym2', {});
  const mrk = await mk('mrk', { MultiRegion: true });
  const rsaEnc = rsa ? await mk('rsaEnc', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }) : undefined;
  const rsaSign = rsa ? await mk('rsaSign', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }) : undefined;
  const eccs = {
    ECC_NIST_P256: 'ECDSA_SHA_256',
    ECC_NIST_P384: 'ECDSA_SHA_384',
    ECC_NIST_P521: 'ECDSA_SHA_512',
    ECC_SECG_P256K1: 'ECDSA_SHA_256',
  } as const;
  for (const spec of Object.keys(eccs)) await mk(spec, { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
  await mk('ecdh', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  const ed = await mk('ed25519', { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
  const mldsa = await mk('mldsa', { KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' });
  const hmacs = { HMAC_224: 'HMAC_SHA_224', HMAC_256: 'HMAC_SHA_256', HMAC_384: 'HMAC_SHA_384', HMAC_512: 'HMAC_SHA_512' } as const;
  for (const spec of Object.keys(hmacs)) await mk(spec, { KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
  const ext = await mk('external', { Origin: 'EXTERNAL' });
  const doomed = await mk('doomed', {});
  const eu = world.client('kms', { region: 'eu-west-1' });
  keys.eu = (await eu.send('CreateKey', {})).KeyMetadata;

  // Key management.
  await call(kms, 'DescribeKey', { KeyId: sym.KeyId });
  await call(kms, 'DescribeKey', { KeyId: 'fake-key-id' });
  await call(kms, 'ListKeys', { Limit: 3 });
  await call(kms, 'UpdateKeyDescription', { KeyId: sym.Arn, Description: 'renamed' });
  await call(kms, 'CreateAlias', { AliasName: 'alias/session', TargetKeyId: sym.KeyId });
  await call(kms, 'CreateAlias', { AliasName: 'session', TargetKeyId: sym.KeyId });
  await call(kms, 'CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: doomed.KeyId });
  await call(kms, 'UpdateAlias', { AliasName: 'alias/session', TargetKeyId: sym2.KeyId });
  await call(kms, 'UpdateAlias', { AliasName: 'alias/session', TargetKeyId: sym.KeyId });
  await call(kms, 'ListAliases', {});
  await call(kms, 'ListAliases', { KeyId: sym.KeyId });
  await call(kms, 'CreateAlias', { AliasName: 'alias/temp', TargetKeyId: sym2.KeyId });
  await call(kms, 'DeleteAlias', { AliasName: 'alias/temp' });
  await call(kms, 'TagResource', { KeyId: sym.KeyId, Tags: [{ TagKey: 'env', TagValue: 'lab' }] });
  await call(kms, 'TagResource', { KeyId: sym.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: 'lab' }] });
  await call(kms, 'UntagResource', { KeyId: sym.KeyId, TagKeys: ['env'] });
  await call(kms, 'ListResourceTags', { KeyId: sym.KeyId });
  await call(kms, 'GetKeyPolicy', { KeyId: sym.KeyId });
  await call(kms, 'PutKeyPolicy', {
    KeyId: sym.KeyId,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    }),
  });
  await call(kms, 'PutKeyPolicy', { KeyId: sym.KeyId, Policy: '{nope' });
  await call(kms, 'ListKeyPolicies', { KeyId: sym.KeyId });

  // Grants: create, use with the token before it is consistent, list, retire, revoke.
  const app = world.client('kms', { principal: APP });
  const grant = (await call(kms, 'CreateGrant', {
    KeyId: sym.KeyId,
    GranteePrincipal: APP,
    RetiringPrincipal: ADMIN,
    Operations: ['Encrypt', 'Decrypt', 'RetireGrant'],
    Constraints: { EncryptionContextSubset: { app: 'session' } },
    Name: 'session-grant',
  })) as { GrantId: string; GrantToken: string };
  await call(kms, 'CreateGrant', { KeyId: sym.KeyId, GranteePrincipal: APP, Operations: ['Sign'] });
  await call(app, 'Encrypt', {
    KeyId: sym.Arn,
    Plaintext: utf8('g'),
    EncryptionContext: { app: 'session' },
    GrantTokens: [grant.GrantToken],
  });
  await call(app, 'Encrypt', { KeyId: sym.Arn, Plaintext: utf8('g'), GrantTokens: ['not-a-token'] });
  await call(kms, 'ListGrants', { KeyId: sym.KeyId });
  await call(kms, 'ListRetirableGrants', { RetiringPrincipal: ADMIN });
  await call(kms, 'RetireGrant', { GrantToken: grant.GrantToken });
  const g2 = (await call(kms, 'CreateGrant', { KeyId: sym.KeyId, GranteePrincipal: APP, Operations: ['DescribeKey'] })) as {
    GrantId: string;
  };
  await call(kms, 'RevokeGrant', { KeyId: sym.KeyId, GrantId: g2.GrantId });
  await call(kms, 'RevokeGrant', { KeyId: sym.KeyId, GrantId: g2.GrantId });

  // Symmetric crypto.
  const enc = (await call(kms, 'Encrypt', {
    KeyId: 'alias/session',
    Plaintext: utf8('session secret'),
    EncryptionContext: { app: 'session' },
  })) as { CiphertextBlob: Uint8Array };
  await call(kms, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'session' } });
  await call(kms, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: sym.Arn, EncryptionContext: { app: 'session' } });
  await call(kms, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob });
  await call(kms, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: sym2.KeyId, EncryptionContext: { app: 'session' } });
  await call(kms, 'Decrypt', { CiphertextBlob: new Uint8Array(100).fill(1) });
  await call(kms, 'Encrypt', { KeyId: sym.KeyId, Plaintext: new Uint8Array(4097) });
  await call(kms, 'ReEncrypt', {
    CiphertextBlob: enc.CiphertextBlob,
    SourceEncryptionContext: { app: 'session' },
    DestinationKeyId: mrk.KeyId,
  });
  await call(kms, 'GenerateDataKey', { KeyId: sym.KeyId, KeySpec: 'AES_256', EncryptionContext: { dk: '1' } });
  await call(kms, 'GenerateDataKey', { KeyId: sym.KeyId, NumberOfBytes: 64 });
  await call(kms, 'GenerateDataKey', { KeyId: sym.KeyId });
  const dkw = (await call(kms, 'GenerateDataKeyWithoutPlaintext', { KeyId: sym.KeyId, KeySpec: 'AES_128' })) as {
    CiphertextBlob: Uint8Array;
  };
  await call(kms, 'Decrypt', { CiphertextBlob: dkw.CiphertextBlob });
  for (const spec of rsa ? ['ECC_NIST_P256', 'ECC_SECG_P256K1', 'RSA_2048'] : ['ECC_NIST_P256', 'ECC_SECG_P256K1']) {
    const pair = (await call(kms, 'GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: spec })) as {
      PrivateKeyCiphertextBlob: Uint8Array;
    };
    await call(kms, 'Decrypt', { CiphertextBlob: pair.PrivateKeyCiphertextBlob });
  }
  await call(kms, 'GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P384' });
  const edPair = (await call(kms, 'GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' })) as {
    PrivateKeyCiphertextBlob: Uint8Array;
  };
  await call(kms, 'Decrypt', { CiphertextBlob: edPair.PrivateKeyCiphertextBlob });
  await call(kms, 'GenerateDataKeyPairWithoutPlaintext', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' });
  await call(kms, 'GenerateDataKeyPair', { KeyId: keys.ECC_NIST_P256!.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
  await call(kms, 'GenerateRandom', { NumberOfBytes: 32 });
  await call(kms, 'GenerateRandom', {});

  // RSA encryption.
  for (const alg of rsaEnc ? ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] : []) {
    const r = (await call(kms, 'Encrypt', { KeyId: rsaEnc!.KeyId, Plaintext: utf8('rsa'), EncryptionAlgorithm: alg })) as {
      CiphertextBlob: Uint8Array;
    };
    await call(kms, 'Decrypt', { CiphertextBlob: r.CiphertextBlob, KeyId: rsaEnc!.KeyId, EncryptionAlgorithm: alg });
    await call(kms, 'Decrypt', { CiphertextBlob: r.CiphertextBlob, EncryptionAlgorithm: alg });
    await call(kms, 'ReEncrypt', {
      CiphertextBlob: r.CiphertextBlob,
      SourceKeyId: rsaEnc!.KeyId,
      SourceEncryptionAlgorithm: alg,
      DestinationKeyId: sym.KeyId,
    });
  }
  if (rsaEnc) {
    await call(kms, 'Encrypt', { KeyId: rsaEnc.KeyId, Plaintext: new Uint8Array(300), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    await call(kms, 'GetPublicKey', { KeyId: rsaEnc.KeyId });
  }
  await call(kms, 'GetPublicKey', { KeyId: sym.KeyId });

  // Signing.
  for (const alg of rsaSign ? ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_512'] : []) {
    const s = (await call(kms, 'Sign', { KeyId: rsaSign!.KeyId, Message: utf8('sign me'), SigningAlgorithm: alg })) as {
      Signature: Uint8Array;
    };
    await call(kms, 'Verify', { KeyId: rsaSign!.KeyId, Message: utf8('sign me'), Signature: s.Signature, SigningAlgorithm: alg });
    await call(kms, 'Verify', { KeyId: rsaSign!.KeyId, Message: utf8('not me'), Signature: s.Signature, SigningAlgorithm: alg });
  }
  for (const [spec, alg] of Object.entries(eccs)) {
    const k = keys[spec]!;
    const s = (await call(kms, 'Sign', { KeyId: k.KeyId, Message: utf8('ecdsa'), SigningAlgorithm: alg })) as { Signature: Uint8Array };
    await call(kms, 'Verify', { KeyId: k.Arn, Message: utf8('ecdsa'), Signature: s.Signature, SigningAlgorithm: alg });
    await call(kms, 'Sign', { KeyId: k.KeyId, Message: new Uint8Array(5), MessageType: 'DIGEST', SigningAlgorithm: alg });
    await call(kms, 'GetPublicKey', { KeyId: k.KeyId });
  }
  await call(kms, 'GetPublicKey', { KeyId: keys.ecdh!.KeyId });
  // Ed25519 (RAW and DIGEST) and ML-DSA (RAW and EXTERNAL_MU), with a wrong MessageType each.
  const edDigest = new Uint8Array(await crypto.subtle.digest('SHA-512', utf8('eddsa')));
  for (const [alg, message, type] of [
    ['ED25519_SHA_512', utf8('eddsa'), 'RAW'],
    ['ED25519_PH_SHA_512', edDigest, 'DIGEST'],
  ] as const) {
    const s = (await call(kms, 'Sign', { KeyId: ed.KeyId, Message: message, MessageType: type, SigningAlgorithm: alg })) as {
      Signature: Uint8Array;
    };
    await call(kms, 'Verify', { KeyId: ed.Arn, Message: message, MessageType: type, Signature: s.Signature, SigningAlgorithm: alg });
  }
  await call(kms, 'Sign', { KeyId: ed.KeyId, Message: edDigest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' });
  await call(kms, 'GetPublicKey', { KeyId: ed.KeyId });
  for (const [message, type] of [
    [utf8('ml-dsa'), 'RAW'],
    [new Uint8Array(64).fill(3), 'EXTERNAL_MU'],
  ] as const) {
    const s = (await call(kms, 'Sign', {
      KeyId: mldsa.KeyId,
      Message: message,
      MessageType: type,
      SigningAlgorithm: 'ML_DSA_SHAKE_256',
    })) as {
      Signature: Uint8Array;
    };
    await call(kms, 'Verify', {
      KeyId: mldsa.KeyId,
      Message: message,
      MessageType: type,
      Signature: s.Signature,
      SigningAlgorithm: 'ML_DSA_SHAKE_256',
    });
  }
  await call(kms, 'Sign', { KeyId: mldsa.KeyId, Message: new Uint8Array(64), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' });
  await call(kms, 'GetPublicKey', { KeyId: mldsa.KeyId });
  await call(kms, 'Sign', { KeyId: keys.HMAC_256!.KeyId, Message: utf8('x'), SigningAlgorithm: 'ECDSA_SHA_256' });

  // MACs.
  for (const [spec, alg] of Object.entries(hmacs)) {
    const k = keys[spec]!;
    const m = (await call(kms, 'GenerateMac', { KeyId: k.KeyId, Message: utf8('mac'), MacAlgorithm: alg })) as { Mac: Uint8Array };
    await call(kms, 'VerifyMac', { KeyId: k.KeyId, Message: utf8('mac'), Mac: m.Mac, MacAlgorithm: alg });
    await call(kms, 'VerifyMac', { KeyId: k.KeyId, Message: utf8('cam'), Mac: m.Mac, MacAlgorithm: alg });
  }
  await call(kms, 'GenerateMac', { KeyId: keys.HMAC_224!.KeyId, Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' });
  await call(kms, 'GenerateMac', { KeyId: sym.KeyId, Message: utf8('x'), MacAlgorithm: 'HMAC_SHA_256' });

  // External key, states, rotation, deletion.
  await call(kms, 'Encrypt', { KeyId: ext.KeyId, Plaintext: utf8('x') });
  await call(kms, 'DisableKey', { KeyId: sym2.KeyId });
  await call(kms, 'Encrypt', { KeyId: sym2.KeyId, Plaintext: utf8('x') });
  await call(kms, 'EnableKey', { KeyId: sym2.KeyId });
  await call(kms, 'EnableKeyRotation', { KeyId: sym.KeyId, RotationPeriodInDays: 90 });
  await call(kms, 'EnableKeyRotation', { KeyId: keys.ECC_NIST_P256!.KeyId });
  await call(kms, 'GetKeyRotationStatus', { KeyId: sym.KeyId });
  await call(kms, 'RotateKeyOnDemand', { KeyId: sym.KeyId });
  await call(kms, 'RotateKeyOnDemand', { KeyId: keys.HMAC_256!.KeyId });
  await call(kms, 'ListKeyRotations', { KeyId: sym.KeyId });
  await call(kms, 'ScheduleKeyDeletion', { KeyId: doomed.KeyId, PendingWindowInDays: 7 });
  await call(kms, 'ScheduleKeyDeletion', { KeyId: doomed.KeyId, PendingWindowInDays: 7 });
  await call(kms, 'ScheduleKeyDeletion', { KeyId: sym2.KeyId, PendingWindowInDays: 7 });
  await call(kms, 'CancelKeyDeletion', { KeyId: sym2.KeyId });
  await call(kms, 'CancelKeyDeletion', { KeyId: sym2.KeyId });
  await call(kms, 'EnableKey', { KeyId: sym2.KeyId });
  world.advance({ days: 100 });
  await call(kms, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'session' } });
  await call(kms, 'DescribeKey', { KeyId: doomed.KeyId });
  await call(kms, 'DisableKeyRotation', { KeyId: sym.KeyId });

  // Other principals, Regions and accounts.
  await call(root, 'ListKeys', {});
  await call(partner, 'DescribeKey', { KeyId: sym.Arn });
  await call(partner, 'Encrypt', { KeyId: sym.Arn, Plaintext: utf8('cross-account') });
  await call(partner, 'EnableKey', { KeyId: sym.Arn });
  await call(eu, 'DescribeKey', { KeyId: sym.KeyId });
  await call(eu, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob });
  await call(world.client('kms', { principal: 'arn:aws:iam::999999999999:role/Nobody' }), 'ListKeys', {});
  await call(kms, 'NoSuchAction', {});

  stop();
  return { records, keys };
}
