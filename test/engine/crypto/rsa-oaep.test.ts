import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoFailure,
  bytesEqual,
  generateKeyPair,
  parseSpkiInfo,
  randomBytes,
  rsaMaxOaepPlaintext,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  type KeyPairBytes,
  type OaepHash,
} from '../../../src/engine/crypto';
import { parsePkcs8, rsaSpki } from '../../../src/engine/crypto/der';
import { Tally, hex, loadVectors } from './wycheproof';

const FILES: [string, OaepHash, number][] = [
  ['rsa_oaep_2048_sha1_mgf1sha1_test.json', 'SHA-1', 36],
  ['rsa_oaep_2048_sha256_mgf1sha256_test.json', 'SHA-256', 37],
  ['rsa_oaep_4096_sha256_mgf1sha256_test.json', 'SHA-256', 37],
];

describe('RSA-OAEP decrypt against Wycheproof', () => {
  for (const [file, hash, count] of FILES) {
    it(`${file}: every case through rsaOaepDecrypt (key from the group's privateKeyPkcs8)`, async () => {
      const tally = new Tally();
      for (const group of loadVectors(file).testGroups) {
        expect([group.sha, group.mgf, group.mgfSha]).toEqual([hash, 'MGF1', hash]);
        const pkcs8 = hex(group, 'privateKeyPkcs8');
        const priv = parsePkcs8(pkcs8);
        if (priv.kind !== 'RSA') throw new Error('vector key is not RSA');
        const spki = rsaSpki(priv.key.n, priv.key.e);
        for (const t of group.tests) {
          tally.ran(t);
          const [msg, ct, label] = [hex(t, 'msg'), hex(t, 'ct'), hex(t, 'label')];
          try {
            const pt = await rsaOaepDecrypt(pkcs8, hash, ct, label);
            if (t.result === 'invalid') tally.fail(t, 'decrypt accepted an invalid ciphertext');
            else if (!bytesEqual(pt, msg)) tally.fail(t, 'wrong plaintext');
          } catch (e) {
            if (t.result === 'valid' || !(e instanceof CryptoFailure)) tally.fail(t, `decrypt threw ${String(e)}`);
          }
          if (t.result === 'valid') {
            // Our encrypt, with the same label, must produce something the key decrypts back.
            const again = await rsaOaepDecrypt(pkcs8, hash, await rsaOaepEncrypt(spki, hash, msg, label), label);
            if (!bytesEqual(again, msg)) tally.fail(t, 're-encryption round trip failed');
          }
        }
      }
      expect(tally.failures).toEqual([]);
      expect(tally.run).toBe(count);
      expect(tally.byResult.acceptable).toBeUndefined(); // none in these files
    });
  }
});

describe('RSA-OAEP behaviour (RSA_2048)', () => {
  let kp: KeyPairBytes;
  beforeAll(async () => {
    kp = await generateKeyPair('RSA_2048');
  });

  it('max plaintext: 214 bytes with SHA-1, 190 with SHA-256; one more is refused', async () => {
    expect(rsaMaxOaepPlaintext(2048, 'SHA-1')).toBe(214);
    expect(rsaMaxOaepPlaintext(2048, 'SHA-256')).toBe(190);
    expect(rsaMaxOaepPlaintext(3072, 'SHA-256')).toBe(318);
    expect(rsaMaxOaepPlaintext(4096, 'SHA-256')).toBe(446);
    for (const hash of ['SHA-1', 'SHA-256'] as const) {
      const max = rsaMaxOaepPlaintext(2048, hash);
      const pt = randomBytes(max);
      const ct = await rsaOaepEncrypt(kp.publicKeySpki, hash, pt);
      expect(ct.length).toBe(256);
      expect(await rsaOaepDecrypt(kp.privateKeyPkcs8, hash, ct)).toEqual(pt);
      await expect(rsaOaepEncrypt(kp.publicKeySpki, hash, randomBytes(max + 1))).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('encryption is randomised', async () => {
    const pt = randomBytes(16);
    const [a, b] = [await rsaOaepEncrypt(kp.publicKeySpki, 'SHA-256', pt), await rsaOaepEncrypt(kp.publicKeySpki, 'SHA-256', pt)];
    expect(bytesEqual(a, b)).toBe(false);
  });

  it('throws CryptoFailure for a tampered ciphertext, the wrong hash, or a wrong label', async () => {
    const ct = await rsaOaepEncrypt(kp.publicKeySpki, 'SHA-256', randomBytes(32));
    const tampered = ct.slice();
    tampered[100]! ^= 1;
    await expect(rsaOaepDecrypt(kp.privateKeyPkcs8, 'SHA-256', tampered)).rejects.toBeInstanceOf(CryptoFailure);
    await expect(rsaOaepDecrypt(kp.privateKeyPkcs8, 'SHA-1', ct)).rejects.toBeInstanceOf(CryptoFailure);
    await expect(rsaOaepDecrypt(kp.privateKeyPkcs8, 'SHA-256', ct, Uint8Array.of(1))).rejects.toBeInstanceOf(CryptoFailure);
    await expect(rsaOaepDecrypt(kp.privateKeyPkcs8, 'SHA-256', ct.subarray(1))).rejects.toBeInstanceOf(CryptoFailure);
  });

  it('rsaOaepEncrypt rejects an EC key, and garbage, with CryptoFailure', async () => {
    const ec = await generateKeyPair('ECC_NIST_P256');
    await expect(rsaOaepEncrypt(ec.publicKeySpki, 'SHA-256', randomBytes(8))).rejects.toBeInstanceOf(CryptoFailure);
    await expect(rsaOaepEncrypt(randomBytes(300), 'SHA-256', randomBytes(8))).rejects.toBeInstanceOf(CryptoFailure);
    await expect(rsaOaepDecrypt(ec.privateKeyPkcs8, 'SHA-256', randomBytes(256))).rejects.toBeInstanceOf(CryptoFailure);
  });

  it('generated keys are RSA-2048 with e = 65537', () => {
    expect(parseSpkiInfo(kp.publicKeySpki)).toEqual({ kind: 'RSA', modulusBits: 2048 });
    const priv = parsePkcs8(kp.privateKeyPkcs8);
    expect(priv.kind === 'RSA' && priv.key.e).toBe(65537n);
  });
});
