/**
 * EncryptOptions.random (what a scenario step in a reproducible world passes): the message id,
 * the signing key pair, the footer signature and a raw keyring's data key, IV and RSA padding
 * come from it, so the same source gives the same message byte for byte; the message still
 * decrypts. Without it (the CSPRNG) two messages differ.
 */
import { describe, expect, it } from 'vitest';
import { ChaChaDrbg, generateKeyPair, pem, toHex } from '../../../src/engine/crypto';
import { cachingCmm, decrypt, encrypt, getLocalCryptographicMaterialsCache, rawAesKeyring, rawRsaKeyring } from '../../../src/engine/esdk';

const aes = rawAesKeyring({ keyNamespace: 'lab', keyName: 'aes', wrappingKey: new Uint8Array(32).fill(1) });
const plaintext = new TextEncoder().encode('the same message for the whole class');

describe('Encryption SDK with a supplied random source', () => {
  it('repeats a signing-suite message from a raw AES keyring, and it decrypts', async () => {
    const once = () => encrypt(aes, plaintext, { suiteId: 0x0578, random: new ChaChaDrbg(8).bytes });
    const [a, b] = [await once(), await once()];
    expect(toHex(b.result)).toBe(toHex(a.result));
    expect(a.messageHeader.encryptionContext['aws-crypto-public-key']).toBeDefined();
    expect(new TextDecoder().decode((await decrypt(aes, a.result)).plaintext)).toBe(new TextDecoder().decode(plaintext));
    const other = await encrypt(aes, plaintext, { suiteId: 0x0578, random: new ChaChaDrbg(9).bytes });
    expect(toHex(other.result)).not.toBe(toHex(a.result));
    const [c, d] = [await encrypt(aes, plaintext, { suiteId: 0x0578 }), await encrypt(aes, plaintext, { suiteId: 0x0578 })];
    expect(toHex(c.result)).not.toBe(toHex(d.result));
  });

  it('repeats raw RSA keyring messages (OAEP and PKCS#1 v1.5), through a caching CMM too', async () => {
    const pair = await generateKeyPair('RSA_2048', new ChaChaDrbg(10).bytes);
    const privateKeyPem = pem('PRIVATE KEY', pair.privateKeyPkcs8);
    for (const padding of ['oaep-sha256', 'pkcs1'] as const) {
      const rsa = rawRsaKeyring({ keyNamespace: 'lab', keyName: 'rsa', privateKeyPem, padding });
      const cmm = () => cachingCmm({ backingMaterials: rsa, cache: getLocalCryptographicMaterialsCache(10), maxAge: 60 });
      const once = () => encrypt(cmm(), plaintext, { random: new ChaChaDrbg(11).bytes });
      const [a, b] = [await once(), await once()];
      expect(toHex(b.result), padding).toBe(toHex(a.result));
      expect(new TextDecoder().decode((await decrypt(rsa, a.result)).plaintext)).toBe(new TextDecoder().decode(plaintext));
    }
  });
});
