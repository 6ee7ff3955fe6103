/**
 * CreateKey, DescribeKey, ListKeys, UpdateKeyDescription against AWS's shapes and messages
 * (reference/kms-api.md §2.1, §2.4–2.6, §4.2, §4.3).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyUsage, KmsClient, World } from '../../../src/engine';
import { ACCOUNT, arnOf, createKey, expectAwsError, PARTNER, REGION, setup, sortedKeys } from '../helpers';

const USAGES: KeyUsage[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];

/** §2.6: which usages each simulated key spec allows. */
const ALLOWED: Record<string, KeyUsage[]> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  ML_DSA_44: ['SIGN_VERIFY'],
  ML_DSA_65: ['SIGN_VERIFY'],
  ML_DSA_87: ['SIGN_VERIFY'],
};
/**
 * SM2 (AWS China Regions only) is not simulated. Its refused usages are checked; creating it
 * with an allowed usage answers UnsupportedOperationException (checked below).
 */
const NOT_SIMULATED: Record<string, KeyUsage[]> = {
  SM2: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
};
/** Slow to generate; creation of these is checked once elsewhere (RSA_4096) or not at all. */
const SLOW = new Set(['RSA_3072', 'RSA_4096']);

const RSA_SIGNING = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];
const ECDSA: Record<string, string> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
};
/** Signing specs with more than ECDSA's one algorithm per curve (§2.6). */
const OTHER_SIGNING: Record<string, string[]> = {
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  ML_DSA_44: ['ML_DSA_SHAKE_256'],
  ML_DSA_65: ['ML_DSA_SHAKE_256'],
  ML_DSA_87: ['ML_DSA_SHAKE_256'],
};

let world: World;
let kms: KmsClient;
beforeAll(async () => {
  ({ world, kms } = await setup(11));
});

describe('CreateKey: every KeySpec × KeyUsage', () => {
  const combos = Object.entries({ ...ALLOWED, ...NOT_SIMULATED }).flatMap(([spec, ok]) =>
    USAGES.map((u) => ({ spec, usage: u, allowed: ok.includes(u) })),
  );

  it.each(combos.filter((c) => c.allowed && !SLOW.has(c.spec) && !(c.spec in NOT_SIMULATED)))(
    'creates $spec with $usage and lists the right algorithms',
    async ({ spec, usage }) => {
      const md = await createKey(kms, { KeySpec: spec as KeySpec, KeyUsage: usage });
      expect(md).toMatchObject({
        KeySpec: spec,
        CustomerMasterKeySpec: spec,
        KeyUsage: usage,
        KeyState: 'Enabled',
        Enabled: true,
        Origin: 'AWS_KMS',
      });
      const algLists = ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'].filter((f) => f in md);
      if (spec === 'SYMMETRIC_DEFAULT') {
        expect(md.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
        expect(algLists).toEqual(['EncryptionAlgorithms']);
      } else if (spec.startsWith('RSA') && usage === 'ENCRYPT_DECRYPT') {
        expect(md.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
        expect(algLists).toEqual(['EncryptionAlgorithms']);
      } else if (spec.startsWith('RSA')) {
        expect([...md.SigningAlgorithms!].sort()).toEqual([...RSA_SIGNING].sort());
        expect(algLists).toEqual(['SigningAlgorithms']);
      } else if (usage === 'SIGN_VERIFY' && spec in OTHER_SIGNING) {
        expect(md.SigningAlgorithms).toEqual(OTHER_SIGNING[spec]);
        expect(algLists).toEqual(['SigningAlgorithms']);
      } else if (usage === 'SIGN_VERIFY') {
        expect(md.SigningAlgorithms).toEqual([ECDSA[spec]]);
        expect(algLists).toEqual(['SigningAlgorithms']);
      } else if (usage === 'KEY_AGREEMENT') {
        expect(md.KeyAgreementAlgorithms).toEqual(['ECDH']);
        expect(algLists).toEqual(['KeyAgreementAlgorithms']);
      } else {
        expect(md.MacAlgorithms).toEqual([`HMAC_SHA_${spec.slice(5)}`]);
        expect(algLists).toEqual(['MacAlgorithms']);
      }
      // CurrentKeyMaterialId only for symmetric encryption keys (§2.4).
      expect('CurrentKeyMaterialId' in md).toBe(spec === 'SYMMETRIC_DEFAULT');
    },
  );

  it.each(combos.filter((c) => !c.allowed))('refuses $spec with $usage (ValidationException)', async ({ spec, usage }) => {
    const before = world.kms.keys.size;
    const e = await expectAwsError(kms.send('CreateKey', { KeySpec: spec as KeySpec, KeyUsage: usage }), 'ValidationException');
    if (spec === 'RSA_2048' && usage === 'KEY_AGREEMENT')
      expect(e.message).toBe('KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048');
    expect(world.kms.keys.size).toBe(before);
  });

  it('SM2 with an allowed usage → UnsupportedOperationException (China Regions only; not simulated)', async () => {
    const before = world.kms.keys.size;
    for (const usage of NOT_SIMULATED.SM2!) {
      await expectAwsError(
        kms.send('CreateKey', { KeySpec: 'SM2', KeyUsage: usage }),
        'UnsupportedOperationException',
        'KeySpec SM2 is not simulated by kms-lab yet.',
      );
    }
    expect(world.kms.keys.size).toBe(before);
  });

  it('symmetric is the default and KeyUsage may be omitted', async () => {
    const md = await createKey(kms);
    expect(md).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
  });

  it('the deprecated CustomerMasterKeySpec works like KeySpec', async () => {
    const md = await createKey(kms, { CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(md).toMatchObject({ KeySpec: 'ECC_NIST_P256', CustomerMasterKeySpec: 'ECC_NIST_P256' });
  });

  it('refuses a KeySpec without KeyUsage with AWS message', async () => {
    for (const spec of ['HMAC_256', 'RSA_2048', 'ECC_NIST_P256'] as const) {
      await expectAwsError(
        kms.send('CreateKey', { KeySpec: spec }),
        'ValidationException',
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
    }
  });

  it('refuses unknown enum values with the schema message', async () => {
    const e = await expectAwsError(kms.send('CreateKey', { KeySpec: 'HMAC_random' as KeySpec }), 'ValidationException');
    expect(e.message).toMatch(
      /^1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
    for (const s of ['RSA_2048', 'ECC_NIST_P384', 'HMAC_256', 'SYMMETRIC_DEFAULT']) expect(e.message).toContain(s);
    const u = await expectAwsError(kms.send('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' as KeyUsage }), 'ValidationException');
    // AWS's recorded (2023) list is [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]; KEY_AGREEMENT came later.
    expect(u.message).toMatch(
      /^1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC[,\]]/,
    );
  });

  it('refuses a description longer than 8192 characters', async () => {
    await expectAwsError(
      kms.send('CreateKey', { Description: 'd'.repeat(8193) }),
      'ValidationException',
      `1 validation error detected: Value '${'d'.repeat(8193)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    );
  });
});

describe('CreateKey: metadata as AWS returns it (§2.4, §4.3)', () => {
  it('default symmetric key has exactly the recorded fields', async () => {
    const before = world.clock.now();
    const md = await createKey(kms);
    expect(sortedKeys(md)).toEqual(
      [
        'AWSAccountId',
        'Arn',
        'CreationDate',
        'CurrentKeyMaterialId',
        'CustomerMasterKeySpec',
        'Description',
        'Enabled',
        'EncryptionAlgorithms',
        'KeyId',
        'KeyManager',
        'KeySpec',
        'KeyState',
        'KeyUsage',
        'MultiRegion',
        'Origin',
      ].sort(),
    );
    expect(md).toMatchObject({
      AWSAccountId: ACCOUNT,
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      Description: '',
      Enabled: true,
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Origin: 'AWS_KMS',
    });
    expect(md.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(md.Arn).toBe(arnOf(md.KeyId));
    expect(md.CreationDate).toBeInstanceOf(Date);
    expect(md.CreationDate.getTime()).toBe(before.getTime());
    expect(md.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    for (const absent of [
      'MultiRegionConfiguration',
      'SigningAlgorithms',
      'MacAlgorithms',
      'DeletionDate',
      'PendingDeletionWindowInDays',
      'ValidTo',
    ]) {
      expect(md).not.toHaveProperty(absent);
    }
  });

  it('keeps the description', async () => {
    const md = await createKey(kms, { Description: 'app key' });
    expect(md.Description).toBe('app key');
  });

  it('HMAC_256: MacAlgorithms only, no CurrentKeyMaterialId', async () => {
    const md = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(md.MacAlgorithms).toEqual(['HMAC_SHA_256']);
    expect(md.KeyUsage).toBe('GENERATE_VERIFY_MAC');
    expect(md).not.toHaveProperty('EncryptionAlgorithms');
    expect(md).not.toHaveProperty('CurrentKeyMaterialId');
  });

  it('Origin EXTERNAL starts PendingImport, disabled, without key material', async () => {
    const md = await createKey(kms, { Origin: 'EXTERNAL' });
    expect(md).toMatchObject({ Enabled: false, KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    expect(md).not.toHaveProperty('CurrentKeyMaterialId');
    expect(world.kms.keys.get(md.Arn)!.materials).toHaveLength(0);
    const sig = await createKey(kms, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(sig).toMatchObject({ KeyState: 'PendingImport', SigningAlgorithms: ['ECDSA_SHA_256'] });
  });

  it('MultiRegion: mrk- + 32 hex id and a PRIMARY configuration', async () => {
    const md = await createKey(kms, { MultiRegion: true });
    expect(md.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(md.MultiRegion).toBe(true);
    expect(md.Arn).toBe(arnOf(md.KeyId));
    expect(md.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: md.Arn, Region: REGION },
      ReplicaKeys: [],
    });
    expect((await kms.send('DescribeKey', { KeyId: md.KeyId })).KeyMetadata.KeyId).toBe(md.KeyId);
  });

  it('tags given at creation are stored, with AWS tag rules', async () => {
    const md = await createKey(kms, {
      Tags: [
        { TagKey: 'team', TagValue: 'blue' },
        { TagKey: 'env', TagValue: '' },
      ],
    });
    expect((await kms.send('ListResourceTags', { KeyId: md.KeyId })).Tags).toEqual([
      { TagKey: 'team', TagValue: 'blue' },
      { TagKey: 'env', TagValue: '' },
    ]);
    const before = world.kms.keys.size;
    const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    await expectAwsError(kms.send('CreateKey', { Tags: many }), 'TagException', 'Too many tags');
    await expectAwsError(
      kms.send('CreateKey', { Tags: [{ TagKey: 'aws:key1', TagValue: 'v' }] }),
      'TagException',
      'Tags beginning with aws: are reserved',
    );
    await expectAwsError(
      kms.send('CreateKey', { Tags: [{ TagKey: 'AWS:key1', TagValue: 'v' }] }),
      'TagException',
      'Tags beginning with aws: are reserved',
    );
    await expectAwsError(
      kms.send('CreateKey', {
        Tags: [
          { TagKey: 'a', TagValue: 'x' },
          { TagKey: 'a', TagValue: 'y' },
        ],
      }),
      'TagException',
      'Duplicate tag keys',
    );
    expect(world.kms.keys.size).toBe(before);
    const fifty = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    await createKey(kms, { Tags: fifty });
  });

  it('a custom policy is stored as given', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
    });
    const md = await createKey(kms, { Policy: policy });
    expect((await kms.send('GetKeyPolicy', { KeyId: md.KeyId })).Policy).toBe(policy);
  });

  it('ids come from the seeded generator: the same seed gives the same ids', async () => {
    const a = await setup(99);
    const b = await setup(99);
    const ka = [await createKey(a.kms), await createKey(a.kms, { MultiRegion: true })];
    const kb = [await createKey(b.kms), await createKey(b.kms, { MultiRegion: true })];
    expect(ka.map((k) => k.KeyId)).toEqual(kb.map((k) => k.KeyId));
  });
});

describe('DescribeKey: every way to name a key', () => {
  let keyId: string;
  let arn: string;
  beforeAll(async () => {
    const md = await createKey(kms, { Description: 'named' });
    keyId = md.KeyId;
    arn = md.Arn;
    await kms.send('CreateAlias', { AliasName: 'alias/describe-me', TargetKeyId: keyId });
  });

  it.each([
    ['key id', () => keyId],
    ['key ARN', () => arn],
    ['alias name', () => 'alias/describe-me'],
    ['alias ARN', () => `arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`],
  ])('by %s', async (_, id) => {
    const md = (await kms.send('DescribeKey', { KeyId: id() })).KeyMetadata;
    expect(md.KeyId).toBe(keyId);
    expect(md.Arn).toBe(arn);
    expect(md.Description).toBe('named');
  });

  it('malformed ids: Invalid keyId', async () => {
    for (const bad of ['fake-key-id', '134f2428cec14b25a1ae9048164dba47', 'mrk-fake-key-id']) {
      await expectAwsError(kms.send('DescribeKey', { KeyId: bad }), 'NotFoundException', `Invalid keyId '${bad}'`);
    }
  });

  it('a well-formed id that does not exist: Key <arn> does not exist (by id and by ARN)', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    const msg = `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`;
    await expectAwsError(kms.send('DescribeKey', { KeyId: id }), 'NotFoundException', msg);
    await expectAwsError(kms.send('DescribeKey', { KeyId: arnOf(id) }), 'NotFoundException', msg);
    const mrk = 'mrk-d3b95762d3b95762d3b95762d3b95762';
    await expectAwsError(kms.send('DescribeKey', { KeyId: mrk }), 'NotFoundException', `Key '${arnOf(mrk)}' does not exist`);
  });

  it('a key ARN of another Region: Invalid arn <region>', async () => {
    await expectAwsError(kms.send('DescribeKey', { KeyId: arnOf(keyId, 'eu-west-1') }), 'NotFoundException', 'Invalid arn eu-west-1');
  });

  it('key ids are scoped to their Region', async () => {
    const eu = world.client('kms', { region: 'eu-west-1' });
    await expectAwsError(
      eu.send('DescribeKey', { KeyId: keyId }),
      'NotFoundException',
      `Key '${arnOf(keyId, 'eu-west-1')}' does not exist`,
    );
    await expectAwsError(eu.send('DescribeKey', { KeyId: 'alias/describe-me' }), 'NotFoundException');
    const euKey = await createKey(eu);
    expect(euKey.Arn).toBe(arnOf(euKey.KeyId, 'eu-west-1'));
    const ids = (c: KmsClient) => c.send('ListKeys', { Limit: 1000 }).then((o) => o.Keys.map((k) => k.KeyId));
    expect(await ids(eu)).toEqual([euKey.KeyId]);
    expect(await ids(kms)).not.toContain(euKey.KeyId);
    await expectAwsError(
      kms.send('DescribeKey', { KeyId: euKey.KeyId }),
      'NotFoundException',
      `Key '${arnOf(euKey.KeyId)}' does not exist`,
    );
  });

  it('a missing KeyId is a schema error', async () => {
    await expectAwsError(
      kms.send('DescribeKey', {} as never),
      'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('another account names a key by its ARN, and the default key policy does not let it in', async () => {
    const partner = world.client('kms', { principal: PARTNER });
    await expectAwsError(
      partner.send('DescribeKey', { KeyId: arn }),
      'AccessDeniedException',
      `User: arn:aws:sts::444455556666:assumed-role/Partner/kms-lab is not authorized to perform: kms:DescribeKey on resource: ${arn} because no resource-based policy allows the kms:DescribeKey action`,
    );
    // A bare key id is looked up in the caller's own account.
    await expectAwsError(
      partner.send('DescribeKey', { KeyId: keyId }),
      'NotFoundException',
      `Key '${arnOf(keyId, REGION, '444455556666')}' does not exist`,
    );
  });
});

describe('UpdateKeyDescription', () => {
  it('changes the description; management calls take key id or ARN only', async () => {
    const md = await createKey(kms, { Description: 'old' });
    await kms.send('UpdateKeyDescription', { KeyId: md.Arn, Description: 'new' });
    expect((await kms.send('DescribeKey', { KeyId: md.KeyId })).KeyMetadata.Description).toBe('new');
    await kms.send('UpdateKeyDescription', { KeyId: md.KeyId, Description: '' });
    expect((await kms.send('DescribeKey', { KeyId: md.KeyId })).KeyMetadata.Description).toBe('');
    await kms.send('CreateAlias', { AliasName: 'alias/update-desc', TargetKeyId: md.KeyId });
    await expectAwsError(
      kms.send('UpdateKeyDescription', { KeyId: 'alias/update-desc', Description: 'x' }),
      'NotFoundException',
      'Invalid keyId alias/update-desc',
    );
  });
});
