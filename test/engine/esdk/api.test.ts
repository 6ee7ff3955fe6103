/**
 * The ESDK surface end to end: round trips, streams, KMS keyrings against the simulated KMS
 * (two Regions, multi-keyring, wrong keys), the required-encryption-context CMM, the caching CMM
 * and the commitment policy.
 */
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../src/engine';
import { bytesEqual, randomBytes } from '../../../src/engine/crypto';
import {
  buildClient,
  cachingCmm,
  deferredKmsDataKey,
  decrypt,
  decryptStream,
  encrypt,
  encryptStream,
  getLocalCryptographicMaterialsCache,
  kmsKeyring,
  multiKeyring,
  rawAesKeyring,
  requiredEncryptionContextCmm,
} from '../../../src/engine/esdk';

const aes = rawAesKeyring({ keyNamespace: 'lab', keyName: 'aes', wrappingKey: new Uint8Array(32).fill(1) });
const otherAes = rawAesKeyring({ keyNamespace: 'lab', keyName: 'aes', wrappingKey: new Uint8Array(32).fill(2) });

function stream(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      const n = Math.min(chunk + (off % 7), bytes.length - off);
      c.enqueue(bytes.slice(off, off + n));
      off += n;
    },
  });
}

async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    parts.push(value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

describe('encrypt / decrypt', () => {
  it('round-trips with the default suite 0x0578 and frame length 4096, and reports the header', async () => {
    const pt = randomBytes(10_000);
    const { result, messageHeader } = await encrypt(aes, pt, { encryptionContext: { app: 'lab' } });
    expect(messageHeader).toMatchObject({ version: 2, suiteId: 0x0578, contentType: 2, frameLength: 4096 });
    expect(messageHeader.messageId.length).toBe(32);
    expect(messageHeader.encryptionContext.app).toBe('lab');
    expect(messageHeader.encryptionContext['aws-crypto-public-key']).toMatch(/^[AB][A-Za-z0-9+/]{65}==$/); // a compressed P-384 point, 49 bytes
    expect(messageHeader.encryptedDataKeys[0]).toMatchObject({ providerId: 'lab' });
    expect(messageHeader.headerAuthTag.length).toBe(16);
    expect(Array.from(result.subarray(0, 3))).toEqual([2, 5, 0x78]);
    const out = await decrypt(aes, result);
    expect(bytesEqual(out.plaintext, pt)).toBe(true);
    expect(out.messageHeader.encryptionContext).toEqual(messageHeader.encryptionContext);
  });

  it('refuses a reserved context key, a non-committing suite under the default policy, and bad frame lengths', async () => {
    await expect(encrypt(aes, new Uint8Array(1), { encryptionContext: { 'aws-crypto-x': '1' } })).rejects.toThrow(/reserved/);
    await expect(encrypt(aes, new Uint8Array(1), { suiteId: 0x0178 })).rejects.toThrow(/commitment policy/);
    await expect(encrypt(aes, new Uint8Array(1), { frameLength: 0 })).rejects.toThrow(/frameLength/);
    await expect(encrypt(aes, new Uint8Array(1), { suiteId: 0x1234 })).rejects.toThrow(/Unsupported algorithm suite/);
  });

  it('REQUIRE_ENCRYPT_REQUIRE_DECRYPT refuses a v1 message that the lab default reads', async () => {
    const { result } = await buildClient('FORBID_ENCRYPT_ALLOW_DECRYPT').encrypt(aes, new Uint8Array(5));
    expect(result[0]).toBe(1);
    await expect(buildClient().decrypt(aes, result)).rejects.toThrow(/does not commit/);
    expect((await decrypt(aes, result)).plaintext.length).toBe(5);
  });

  it('a wrong wrapping key or a changed byte fails with a precise reason', async () => {
    const { result } = await encrypt(aes, new Uint8Array(100), { suiteId: 0x0478 });
    await expect(decrypt(otherAes, result)).rejects.toThrow(/Unable to decrypt data key.*AES-GCM unwrap failed/);
    const bad = result.slice();
    bad[bad.length - 1]! ^= 1;
    await expect(decrypt(aes, bad)).rejects.toThrow(/Final frame 1 failed authentication/);
  });
});

describe('streams', () => {
  for (const [suiteId, frameLength, size] of [
    [0x0478, 4096, 1_000_000],
    [0x0578, 1000, 3000],
    [0x0478, 64, 0],
  ] as const) {
    it(`suite ${suiteId.toString(16)}, frame ${frameLength}, ${size} bytes in odd chunks, matches the buffered path`, async () => {
      const pt = randomBytes(size);
      const { result, messageHeader } = await encryptStream(aes, stream(pt, 777), { suiteId, frameLength });
      const ct = await collect(result);
      expect(messageHeader.frameLength).toBe(frameLength);
      expect(bytesEqual((await decrypt(aes, ct)).plaintext, pt)).toBe(true);
      const { plaintext } = await decryptStream(aes, stream(ct, 1234));
      expect(bytesEqual(await collect(plaintext), pt)).toBe(true);
    });
  }

  it('a stream whose declared plaintextLength is wrong fails', async () => {
    const { result } = await encryptStream(aes, stream(randomBytes(100), 10), { plaintextLength: 99 });
    await expect(collect(result)).rejects.toThrow(/plaintextLength/);
  });
});

describe('AWS KMS keyring against the simulated KMS', () => {
  async function setup() {
    const world = await createWorld({ seed: 4 });
    const east = world.client('kms', { region: 'us-east-1' });
    const west = world.client('kms', { region: 'us-west-2' });
    const k1 = (await east.send('CreateKey', { Description: 'east' })).KeyMetadata.Arn!;
    const k2 = (await west.send('CreateKey', { Description: 'west' })).KeyMetadata.Arn!;
    const calls: string[] = [];
    world.onCall((r) => calls.push(`${r.action}`));
    return { world, east, west, k1, k2, calls };
  }

  it('GenerateDataKey makes the key, the EDK names the key ARN, Decrypt opens it', async () => {
    const { east, k1, calls } = await setup();
    const keyring = kmsKeyring({ client: east, generatorKeyId: k1 });
    const { result, messageHeader } = await encrypt(keyring, new TextEncoder().encode('hi'), { encryptionContext: { a: 'b' } });
    expect(messageHeader.encryptedDataKeys).toHaveLength(1);
    expect(messageHeader.encryptedDataKeys[0]).toMatchObject({ providerId: 'aws-kms', providerInfo: k1 });
    expect(new TextDecoder().decode((await decrypt(keyring, result)).plaintext)).toBe('hi');
    expect(calls).toEqual(['GenerateDataKey', 'Decrypt']);
  });

  it('a multi-keyring over two Regions writes two EDKs; either key alone decrypts', async () => {
    const { east, west, k1, k2 } = await setup();
    const clients = (region: string) => (region === 'us-east-1' ? east : west);
    const both = multiKeyring(kmsKeyring({ client: clients, generatorKeyId: k1 }), kmsKeyring({ client: clients, keyIds: [k2] }));
    const { result, messageHeader } = await encrypt(both, randomBytes(5000));
    expect(messageHeader.encryptedDataKeys.map((e) => e.providerInfo)).toEqual([k1, k2]);
    await decrypt(kmsKeyring({ client: east, keyIds: [k1] }), result);
    await decrypt(kmsKeyring({ client: west, keyIds: [k2] }), result);
    await decrypt(kmsKeyring({ client: clients, discovery: true }), result);
  });

  it('a keyring never sends an EDK of a key it was not given to KMS', async () => {
    const { east, k1, calls } = await setup();
    const { KeyMetadata } = await east.send('CreateKey', {});
    const { result } = await encrypt(kmsKeyring({ client: east, generatorKeyId: k1 }), new Uint8Array(3));
    calls.length = 0;
    await expect(decrypt(kmsKeyring({ client: east, keyIds: [KeyMetadata.Arn!] }), result)).rejects.toThrow(
      /not one of this keyring's keys/,
    );
    expect(calls).toEqual([]);
  });

  it('a disabled key: Decrypt fails with the AWS error code in the reason', async () => {
    const { east, k1 } = await setup();
    const keyring = kmsKeyring({ client: east, generatorKeyId: k1 });
    const { result } = await encrypt(keyring, new Uint8Array(3));
    await east.send('DisableKey', { KeyId: k1 });
    await expect(decrypt(keyring, result)).rejects.toThrow(/DisabledException/);
  });
});

describe('required encryption context CMM', () => {
  it('authenticates the required pairs without storing them; decrypt must supply them', async () => {
    const cmm = requiredEncryptionContextCmm({ underlying: aes, requiredEncryptionContextKeys: ['tenant'] });
    const ctx = { tenant: 'blue', app: 'lab' };
    await expect(encrypt(cmm, new Uint8Array(1), { encryptionContext: { app: 'lab' } })).rejects.toThrow(
      /Required encryption context key "tenant"/,
    );
    const { result, messageHeader } = await encrypt(cmm, new Uint8Array(10), { encryptionContext: ctx, suiteId: 0x0478 });
    expect(messageHeader.encryptionContext).toEqual({ app: 'lab' });
    await expect(decrypt(cmm, result)).rejects.toThrow(/missing from the encryption context given to decrypt/);
    await expect(decrypt(aes, result)).rejects.toThrow(/Unable to decrypt data key/);
    await expect(decrypt(cmm, result, { encryptionContext: { tenant: 'red' } })).rejects.toThrow(/Unable to decrypt data key/);
    expect((await decrypt(cmm, result, { encryptionContext: { tenant: 'blue' } })).plaintext.length).toBe(10);
    expect((await decrypt(aes, result, { encryptionContext: { tenant: 'blue' } })).plaintext.length).toBe(10);
  });
});

describe('caching CMM', () => {
  it('200 messages with maxMessagesEncrypted 10 make 20 GenerateDataKey calls instead of 200', async () => {
    const world = await createWorld({ seed: 9 });
    const kms = world.client('kms');
    const arn = (await kms.send('CreateKey', {})).KeyMetadata.Arn!;
    let generated = 0;
    world.onCall((r) => {
      if (r.action === 'GenerateDataKey') generated++;
    });
    const cmm = cachingCmm({
      backingMaterials: kmsKeyring({ client: kms, generatorKeyId: arn }),
      cache: getLocalCryptographicMaterialsCache(100),
      maxAge: 60,
      maxMessagesEncrypted: 10,
      now: () => world.clock.now().getTime(),
    });
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { messageHeader } = await encrypt(cmm, randomBytes(100), { encryptionContext: { batch: 'b' }, suiteId: 0x0478 });
      keys.add(messageHeader.encryptedDataKeys[0]!.providerInfo + Array.from(messageHeader.encryptedDataKeys[0]!.encryptedDataKey).join());
    }
    expect(generated).toBe(20);
    expect(keys.size).toBe(20);
    expect(cmm.stats).toMatchObject({ encryptHits: 180, encryptMisses: 20 });
  });

  it('max age (virtual clock), max bytes and a different context each force a new data key', async () => {
    let now = 0;
    let generated = 0;
    const counting = {
      onEncrypt: async (m: Parameters<typeof aes.onEncrypt>[0]) => {
        if (!m.plaintextDataKey) generated++;
        return aes.onEncrypt(m);
      },
      onDecrypt: aes.onDecrypt,
    };
    const cmm = cachingCmm({
      backingMaterials: counting,
      cache: getLocalCryptographicMaterialsCache(),
      maxAge: 10,
      maxBytesEncrypted: 250,
      now: () => now,
    });
    const go = (n: number, ctx = {}) => encrypt(cmm, new Uint8Array(n), { suiteId: 0x0478, encryptionContext: ctx });
    await go(100);
    await go(100);
    expect(generated).toBe(1);
    await go(100); // 300 > 250 bytes
    expect(generated).toBe(2);
    now += 11_000; // older than 10 s
    await go(10);
    expect(generated).toBe(3);
    await go(10, { other: 'context' });
    expect(generated).toBe(4);
    await go(1000); // alone over the byte limit: used once, not cached
    await go(1000);
    expect(generated).toBe(6);
  });

  it('signing suites are cached too (messages from one entry share the signing key), identity suites never', async () => {
    const cmm = cachingCmm({ backingMaterials: aes, cache: getLocalCryptographicMaterialsCache(), maxAge: 60 });
    const a = await encrypt(cmm, new Uint8Array(5), { suiteId: 0x0578 });
    const b = await encrypt(cmm, new Uint8Array(5), { suiteId: 0x0578 });
    expect(a.messageHeader.encryptionContext['aws-crypto-public-key']).toBe(b.messageHeader.encryptionContext['aws-crypto-public-key']);
    expect((await decrypt(cmm, b.result)).plaintext.length).toBe(5);
    const legacy = buildClient('FORBID_ENCRYPT_ALLOW_DECRYPT');
    await legacy.encrypt(cmm, new Uint8Array(5), { suiteId: 0x0078 });
    await legacy.encrypt(cmm, new Uint8Array(5), { suiteId: 0x0078 });
    expect(cmm.stats.encryptBypassed).toBe(2);
  });
});

describe('GenerateDataKeyWithoutPlaintext, as meant', () => {
  it('fetches an encrypted data key now; KMS decrypts it only when the data is written; an ordinary KMS keyring reads the message', async () => {
    const world = await createWorld({ seed: 12 });
    const kms = world.client('kms');
    const arn = (await kms.send('CreateKey', {})).KeyMetadata.Arn!;
    const calls: string[] = [];
    world.onCall((r) => calls.push(r.action));
    const ctx = { job: 'nightly' };
    const { encryptedDataKey, keyring } = await deferredKmsDataKey({ client: kms, keyId: arn, encryptionContext: ctx });
    expect(encryptedDataKey.providerInfo).toBe(arn);
    expect(calls).toEqual(['GenerateDataKeyWithoutPlaintext']);
    world.advance({ hours: 3 });
    await expect(encrypt(keyring, new Uint8Array(4), { encryptionContext: { job: 'other' }, suiteId: 0x0478 })).rejects.toThrow(
      /context differs/,
    );
    const { result } = await encrypt(keyring, new TextEncoder().encode('later'), { encryptionContext: ctx, suiteId: 0x0478 });
    expect(calls).toEqual(['GenerateDataKeyWithoutPlaintext', 'Decrypt']);
    await expect(encrypt(keyring, new Uint8Array(1), { encryptionContext: ctx, suiteId: 0x0478 })).rejects.toThrow(/already used/);
    expect(new TextDecoder().decode((await decrypt(kmsKeyring({ client: kms, keyIds: [arn] }), result)).plaintext)).toBe('later');
    await expect(deferredKmsDataKey({ client: kms, keyId: arn, suiteId: 0x0578 })).rejects.toThrow(/signs/);
  });
});

describe('Node Buffers in, as tests and the official SDK hand them', () => {
  it('copies a Buffer wrapping key (Buffer#slice would not) and reads Buffer ciphertexts', async () => {
    const key = Buffer.alloc(32, 7);
    const keyring = rawAesKeyring({ keyNamespace: 'lab', keyName: 'buf', wrappingKey: key });
    key.fill(0);
    const { result } = await encrypt(keyring, Buffer.from('buffer plaintext'), { suiteId: 0x0478 });
    const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(result));
    expect(new TextDecoder().decode(plaintext)).toBe('buffer plaintext');
    expect(messageHeader.messageId.constructor).toBe(Uint8Array);
  });
});

describe('local materials cache', () => {
  it('keeps at most its capacity, evicting the least recently used entry', async () => {
    let generated = 0;
    const counting = {
      onEncrypt: async (m: Parameters<typeof aes.onEncrypt>[0]) => {
        if (!m.plaintextDataKey) generated++;
        return aes.onEncrypt(m);
      },
      onDecrypt: aes.onDecrypt,
    };
    const cache = getLocalCryptographicMaterialsCache(2);
    const cmm = cachingCmm({ backingMaterials: counting, cache, maxAge: 60 });
    const go = (tenant: string) => encrypt(cmm, new Uint8Array(10), { suiteId: 0x0478, encryptionContext: { tenant } });
    await go('a');
    await go('b');
    await go('a'); // hit; b is now the least recently used
    await go('c'); // evicts b
    expect(cache.size).toBe(2);
    expect(generated).toBe(3);
    await go('a'); // still cached
    expect(generated).toBe(3);
    await go('b'); // evicted: a new data key
    expect(generated).toBe(4);
  });
});
