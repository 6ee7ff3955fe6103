/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom with
 * symmetric keys (reference/kms-api.md §2.3, §2.8, §3.5, §4.2, §4.3).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KmsClient, World } from '../../../src/engine';
import { HEADER_LEN, IV_LEN, TAG_LEN } from '../../../src/engine/kms/ciphertext';
import { ab, ACCOUNT, arnOf, createKey, expectAwsError, failure, REGION, roundTrip, setup, sortedKeys, text, utf8 } from '../helpers';

let world: World;
let kms: KmsClient;
let key: { KeyId: string; Arn: string };
let other: { KeyId: string; Arn: string };
beforeAll(async () => {
  ({ world, kms } = await setup(21));
  key = await createKey(kms);
  other = await createKey(kms);
  await kms.send('CreateAlias', { AliasName: 'alias/sym', TargetKeyId: key.KeyId });
});

const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';

describe('Encrypt / Decrypt', () => {
  it('round-trips and returns the AWS shapes', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('hello kms') });
    expect(sortedKeys(enc)).toEqual(['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId']);
    expect(enc.CiphertextBlob).toBeInstanceOf(Uint8Array);
    expect(enc.KeyId).toBe(key.Arn);
    expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const dec = await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(sortedKeys(dec)).toEqual(['EncryptionAlgorithm', 'KeyId', 'KeyMaterialId', 'Plaintext']);
    expect(text(dec.Plaintext)).toBe('hello kms');
    expect(dec.KeyId).toBe(key.Arn);
    expect(dec.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const md = (await kms.send('DescribeKey', { KeyId: key.KeyId })).KeyMetadata;
    expect(dec.KeyMaterialId).toBe(md.CurrentKeyMaterialId);
  });

  it('accepts every form of KeyId for Encrypt', async () => {
    for (const id of [key.KeyId, key.Arn, 'alias/sym', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/sym`]) {
      const enc = await kms.send('Encrypt', { KeyId: id, Plaintext: utf8('x') });
      expect(enc.KeyId).toBe(key.Arn);
    }
  });

  it('two encryptions of the same plaintext differ (fresh IV)', async () => {
    const a = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('same') });
    const b = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('same') });
    expect(Buffer.from(a.CiphertextBlob).equals(Buffer.from(b.CiphertextBlob))).toBe(false);
  });

  it('Decrypt without KeyId finds the key from the blob; with the right KeyId in any form it also works', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('p') });
    for (const id of [undefined, key.KeyId, key.Arn, 'alias/sym', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/sym`]) {
      const dec = await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, ...(id ? { KeyId: id } : {}) });
      expect(text(dec.Plaintext)).toBe('p');
    }
  });

  it('binds the encryption context; its order does not matter', async () => {
    const ctx = { purpose: 'test', app: 'kms-lab', 'z-last': 'Ω unicode' };
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('ctx'), EncryptionContext: ctx });
    const reordered = { 'z-last': 'Ω unicode', app: 'kms-lab', purpose: 'test' };
    const dec = await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: reordered });
    expect(text(dec.Plaintext)).toBe('ctx');
    await roundTrip(kms, key.KeyId, utf8('x'), { a: '' });
  });

  it.each([
    ['no context', undefined],
    ['an empty context', {}],
    ['a case-changed value', { purpose: 'Test' }],
    ['a case-changed key', { Purpose: 'test' }],
    ['an extra pair', { purpose: 'test', more: 'x' }],
    ['a different value', { purpose: 'prod' }],
  ])('a wrong context (%s) → InvalidCiphertextException with an empty message', async (_, ctx) => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('secret'), EncryptionContext: { purpose: 'test' } });
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, ...(ctx ? { EncryptionContext: ctx } : {}) }),
      'InvalidCiphertextException',
      '',
    );
  });

  it('a context given at Decrypt but not at Encrypt also fails', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('secret') });
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'b' } }),
      'InvalidCiphertextException',
      '',
    );
  });

  it('{"ab":"c"} and {"a":"bc"} are different contexts (unambiguous AAD)', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x'), EncryptionContext: { ab: 'c' } });
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'bc' } }),
      'InvalidCiphertextException',
      '',
    );
    const enc2 = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x'), EncryptionContext: { a: 'b', c: 'd' } });
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc2.CiphertextBlob, EncryptionContext: { a: 'bc', '': 'd' } }),
      'InvalidCiphertextException',
      '',
    );
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc2.CiphertextBlob, EncryptionContext: { ab: '', c: 'd' } }),
      'InvalidCiphertextException',
      '',
    );
  });

  describe('a changed byte anywhere in the blob is refused', () => {
    let blob: Uint8Array;
    beforeAll(async () => {
      blob = (await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('tamper with me, please'), EncryptionContext: { k: 'v' } }))
        .CiphertextBlob;
    });
    const regions = () => {
      const n = blob.length;
      return [
        { name: 'format version', from: 0, to: 1 },
        { name: 'key reference type', from: 1, to: 2 },
        { name: 'key material id', from: 18, to: HEADER_LEN },
        { name: 'IV', from: HEADER_LEN, to: HEADER_LEN + IV_LEN },
        { name: 'ciphertext', from: HEADER_LEN + IV_LEN, to: n - TAG_LEN },
        { name: 'tag', from: n - TAG_LEN, to: n },
      ];
    };

    it('every byte outside the key id → InvalidCiphertextException with an empty message', async () => {
      for (const r of regions()) {
        for (let i = r.from; i < r.to; i++) {
          const t = blob.slice();
          t[i] = t[i]! ^ 0x80;
          const e = await failure(kms.send('Decrypt', { CiphertextBlob: t, EncryptionContext: { k: 'v' } }));
          expect({ region: r.name, i, name: e.name, message: e.message }).toEqual({
            region: r.name,
            i,
            name: 'InvalidCiphertextException',
            message: '',
          });
        }
      }
    });

    it('a changed key id names a key that does not exist: AWS answers AccessDeniedException', async () => {
      for (let i = 2; i < 18; i++) {
        const t = blob.slice();
        t[i] = t[i]! ^ 0x80;
        await expectAwsError(
          kms.send('Decrypt', { CiphertextBlob: t, EncryptionContext: { k: 'v' } }),
          'AccessDeniedException',
          'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
        );
      }
    });

    it('truncated blobs and junk appended → InvalidCiphertextException', async () => {
      for (const cut of [1, 16, blob.length - 1, blob.length - HEADER_LEN]) {
        await expectAwsError(
          kms.send('Decrypt', { CiphertextBlob: blob.slice(0, blob.length - cut), EncryptionContext: { k: 'v' } }),
          'InvalidCiphertextException',
          '',
        );
      }
      await expectAwsError(
        kms.send('Decrypt', { CiphertextBlob: blob.slice(HEADER_LEN), EncryptionContext: { k: 'v' } }),
        'InvalidCiphertextException',
        '',
      );
      for (const junk of [new Uint8Array([0]), utf8('junk junk junk junk')]) {
        const t = new Uint8Array(blob.length + junk.length);
        t.set(blob);
        t.set(junk, blob.length);
        await expectAwsError(kms.send('Decrypt', { CiphertextBlob: t, EncryptionContext: { k: 'v' } }), 'InvalidCiphertextException', '');
      }
      await expectAwsError(kms.send('Decrypt', { CiphertextBlob: new Uint8Array(3) }), 'InvalidCiphertextException', '');
    });

    it('the untouched blob still decrypts', async () => {
      const dec = await kms.send('Decrypt', { CiphertextBlob: blob, EncryptionContext: { k: 'v' } });
      expect(text(dec.Plaintext)).toBe('tamper with me, please');
    });
  });

  it('4096 bytes is the limit; 4097 → ValidationException with AWS message', async () => {
    const big = new Uint8Array(4096).map((_, i) => i % 251);
    const { enc } = await roundTrip(kms, key.KeyId, big);
    expect(enc.CiphertextBlob.length).toBeLessThanOrEqual(6144);
    await expectAwsError(
      kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: new Uint8Array(4097) }),
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  });

  it('empty plaintext → ValidationException with AWS message', async () => {
    await expectAwsError(
      kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: new Uint8Array(0) }),
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('Decrypt with KeyId naming another symmetric key → IncorrectKeyException', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    for (const id of [other.KeyId, other.Arn]) {
      await expectAwsError(kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: id }), 'IncorrectKeyException', INCORRECT_KEY);
    }
  });

  it('Decrypt with KeyId naming an HMAC key → IncorrectKeyException (recorded from AWS)', async () => {
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: hmac.KeyId }),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
  });

  it('Decrypt with a KeyId that does not exist → NotFoundException', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    const id = '00000000-0000-4000-8000-000000000000';
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: id }),
      'NotFoundException',
      `Key '${arnOf(id)}' does not exist`,
    );
  });

  it('a ciphertext decrypts only in its own Region', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    const eu = world.client('kms', { region: 'eu-west-1' });
    const e = await failure(eu.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob }));
    expect(e.name).toBe('AccessDeniedException');
  });

  it('an algorithm that does not fit the key → InvalidKeyUsageException', async () => {
    await expectAwsError(
      kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'InvalidKeyUsageException',
    );
  });

  it('DryRun answers DryRunOperationException and encrypts nothing', async () => {
    await expectAwsError(
      kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x'), DryRun: true }),
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
  });
});

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and context', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('move me'), EncryptionContext: { from: 'a' } });
    const re = await kms.send('ReEncrypt', {
      CiphertextBlob: enc.CiphertextBlob,
      SourceEncryptionContext: { from: 'a' },
      DestinationKeyId: other.KeyId,
      DestinationEncryptionContext: { to: 'b' },
    });
    expect(re).toMatchObject({
      KeyId: other.Arn,
      SourceKeyId: key.Arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    for (const f of ['CiphertextBlob', 'DestinationEncryptionAlgorithm', 'KeyId', 'SourceEncryptionAlgorithm', 'SourceKeyId'])
      expect(re).toHaveProperty(f);
    const dec = await kms.send('Decrypt', { CiphertextBlob: re.CiphertextBlob, EncryptionContext: { to: 'b' } });
    expect(text(dec.Plaintext)).toBe('move me');
    expect(dec.KeyId).toBe(other.Arn);
    await expectAwsError(
      kms.send('Decrypt', { CiphertextBlob: re.CiphertextBlob, EncryptionContext: { from: 'a' } }),
      'InvalidCiphertextException',
      '',
    );
  });

  it('a wrong source context → InvalidCiphertextException; SourceKeyId naming another key → IncorrectKeyException', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x'), EncryptionContext: { a: '1' } });
    await expectAwsError(
      kms.send('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: other.KeyId }),
      'InvalidCiphertextException',
      '',
    );
    await expectAwsError(
      kms.send('ReEncrypt', {
        CiphertextBlob: enc.CiphertextBlob,
        SourceKeyId: other.KeyId,
        SourceEncryptionContext: { a: '1' },
        DestinationKeyId: key.KeyId,
      }),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
  });

  it('to the same key gives a fresh ciphertext', async () => {
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('same key') });
    const re = await kms.send('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: key.Arn });
    expect(Buffer.from(re.CiphertextBlob).equals(Buffer.from(enc.CiphertextBlob))).toBe(false);
    expect(text((await kms.send('Decrypt', { CiphertextBlob: re.CiphertextBlob })).Plaintext)).toBe('same key');
  });

  it('a destination that cannot encrypt → InvalidKeyUsageException', async () => {
    const sign = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const enc = await kms.send('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') });
    await expectAwsError(
      kms.send('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: sign.KeyId }),
      'InvalidKeyUsageException',
      `${sign.Arn} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`,
    );
  });
});

describe('GenerateDataKey / GenerateDataKeyWithoutPlaintext', () => {
  it.each([
    [{ KeySpec: 'AES_128' as const }, 16],
    [{ KeySpec: 'AES_256' as const }, 32],
    [{ NumberOfBytes: 1 }, 1],
    [{ NumberOfBytes: 64 }, 64],
    [{ NumberOfBytes: 1024 }, 1024],
  ])('%o gives %i bytes; the blob decrypts to the same data key', async (opt, n) => {
    const out = await kms.send('GenerateDataKey', { KeyId: key.KeyId, ...opt, EncryptionContext: { use: 'dk' } });
    expect(sortedKeys(out)).toEqual(['CiphertextBlob', 'KeyId', 'KeyMaterialId', 'Plaintext']);
    expect(out.KeyId).toBe(key.Arn);
    expect(out.Plaintext.length).toBe(n);
    const dec = await kms.send('Decrypt', { CiphertextBlob: out.CiphertextBlob, EncryptionContext: { use: 'dk' } });
    expect(Buffer.from(dec.Plaintext).equals(Buffer.from(out.Plaintext))).toBe(true);
    await expectAwsError(kms.send('Decrypt', { CiphertextBlob: out.CiphertextBlob }), 'InvalidCiphertextException', '');
  });

  it('both or neither of KeySpec and NumberOfBytes → ValidationException', async () => {
    await expectAwsError(kms.send('GenerateDataKey', { KeyId: key.KeyId }), 'ValidationException');
    await expectAwsError(kms.send('GenerateDataKey', { KeyId: key.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 }), 'ValidationException');
    await expectAwsError(kms.send('GenerateDataKeyWithoutPlaintext', { KeyId: key.KeyId }), 'ValidationException');
  });

  it('NumberOfBytes outside 1–1024 → schema messages', async () => {
    await expectAwsError(
      kms.send('GenerateDataKey', { KeyId: key.KeyId, NumberOfBytes: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectAwsError(
      kms.send('GenerateDataKey', { KeyId: key.KeyId, NumberOfBytes: 1025 }),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });

  it('WithoutPlaintext has no Plaintext; its blob decrypts to a data key of the right size', async () => {
    const out = await kms.send('GenerateDataKeyWithoutPlaintext', {
      KeyId: 'alias/sym',
      KeySpec: 'AES_128',
      EncryptionContext: { a: 'b' },
    });
    expect(sortedKeys(out)).toEqual(['CiphertextBlob', 'KeyId', 'KeyMaterialId']);
    expect(out).not.toHaveProperty('Plaintext');
    expect(out.KeyId).toBe(key.Arn);
    const dec = await kms.send('Decrypt', { CiphertextBlob: out.CiphertextBlob, EncryptionContext: { a: 'b' } });
    expect(dec.Plaintext.length).toBe(16);
    expect(dec.Plaintext.some((b) => b !== 0)).toBe(true);
  });

  it('the data key really encrypts (usable client-side with AES-GCM)', async () => {
    const dk = await kms.send('GenerateDataKey', { KeyId: key.KeyId, KeySpec: 'AES_256' });
    const ck = await crypto.subtle.importKey('raw', ab(dk.Plaintext), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const iv = new Uint8Array(12);
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, ck, utf8('envelope'));
    const dec = await kms.send('Decrypt', { CiphertextBlob: dk.CiphertextBlob });
    const ck2 = await crypto.subtle.importKey('raw', ab(dec.Plaintext), 'AES-GCM', false, ['decrypt']);
    expect(text(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, ck2, ct)))).toBe('envelope');
  });

  it('asymmetric and HMAC keys cannot make data keys', async () => {
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await expectAwsError(
      kms.send('GenerateDataKey', { KeyId: hmac.KeyId, KeySpec: 'AES_256' }),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey.`,
    );
  });
});

describe('GenerateRandom', () => {
  it('returns the requested number of random bytes', async () => {
    for (const n of [1, 32, 1024]) {
      const out = await kms.send('GenerateRandom', { NumberOfBytes: n });
      expect(sortedKeys(out)).toEqual(['Plaintext']);
      expect(out.Plaintext.length).toBe(n);
    }
    const a = await kms.send('GenerateRandom', { NumberOfBytes: 32 });
    const b = await kms.send('GenerateRandom', { NumberOfBytes: 32 });
    expect(Buffer.from(a.Plaintext).equals(Buffer.from(b.Plaintext))).toBe(false);
  });

  it('refuses a missing, 0 or 1025 NumberOfBytes with AWS messages', async () => {
    await expectAwsError(kms.send('GenerateRandom', {}), 'ValidationException', 'NumberOfBytes is required.');
    await expectAwsError(
      kms.send('GenerateRandom', { NumberOfBytes: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectAwsError(
      kms.send('GenerateRandom', { NumberOfBytes: 1025 }),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });
});
