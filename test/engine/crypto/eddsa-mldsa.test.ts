/**
 * Ed25519 / Ed25519ph (RFC 8032) and ML-DSA (FIPS 204) in the crypto layer, with their key
 * encodings (RFC 8410, RFC 9881 seed form). The Wycheproof set in
 * /work/shared/vectors/wycheproof/testvectors_v1 has no Ed25519 or ML-DSA files, so the
 * known-answer checks use the public RFC 8032 vectors, and ML-DSA is cross-checked against
 * @noble/post-quantum used directly (Node 20's crypto has no ML-DSA).
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import {
  CryptoFailure,
  digest,
  fromHex,
  generateKeyPair,
  parseSpkiInfo,
  sign,
  toHex,
  verify,
  type AsymmetricSpec,
} from '../../../src/engine/crypto';
import { concatBytes } from '../../../src/engine/crypto/bytes';

const ED = 'ECC_NIST_EDWARDS25519';
/** RFC 8410 encodings around a raw 32-byte key. */
const ED_PKCS8_PREFIX = '302e020100300506032b657004220420';
const ED_SPKI_PREFIX = '302a300506032b6570032100';
const edPkcs8 = (seedHex: string) => fromHex(ED_PKCS8_PREFIX + seedHex);
const edSpki = (pubHex: string) => fromHex(ED_SPKI_PREFIX + pubHex);

/** RFC 8032 §7.1 TEST 1 (empty message). */
const RFC8032_TEST1 = {
  secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
/** RFC 8032 §7.3 Ed25519ph TEST abc. */
const RFC8032_PH_ABC = {
  secret: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
  public: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
  message: '616263',
  signature:
    '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
};

describe('Ed25519 (ED25519_SHA_512, RAW)', () => {
  it('RFC 8032 TEST 1: signs to the published signature and verifies it', async () => {
    const sig = await sign(ED, edPkcs8(RFC8032_TEST1.secret), 'ED25519_SHA_512', new Uint8Array(0), 'RAW');
    expect(toHex(sig)).toBe(RFC8032_TEST1.signature);
    const spki = edSpki(RFC8032_TEST1.public);
    expect(await verify(ED, spki, 'ED25519_SHA_512', new Uint8Array(0), 'RAW', sig)).toBe(true);
    expect(await verify(ED, spki, 'ED25519_SHA_512', Uint8Array.of(0), 'RAW', sig)).toBe(false);
    // node:crypto agrees on the key encodings and the signature.
    const priv = createPrivateKey({ key: Buffer.from(edPkcs8(RFC8032_TEST1.secret)), format: 'der', type: 'pkcs8' });
    expect(toHex(createPublicKey(priv).export({ format: 'der', type: 'spki' }))).toBe(ED_SPKI_PREFIX + RFC8032_TEST1.public);
    expect(toHex(nodeSign(null, Buffer.alloc(0), priv))).toBe(RFC8032_TEST1.signature);
  });

  it('generated keys: RFC 8410 PKCS#8 and SPKI that node:crypto reads; signatures interoperate both ways', async () => {
    const kp = await generateKeyPair(ED);
    expect(kp.privateKeyPkcs8.length).toBe(48);
    expect(toHex(kp.privateKeyPkcs8.subarray(0, 16))).toBe(ED_PKCS8_PREFIX);
    expect(kp.publicKeySpki.length).toBe(44);
    expect(toHex(kp.publicKeySpki.subarray(0, 12))).toBe(ED_SPKI_PREFIX);
    expect(parseSpkiInfo(kp.publicKeySpki)).toEqual({ kind: 'Ed25519' });
    const priv = createPrivateKey({ key: Buffer.from(kp.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
    const pub = createPublicKey({ key: Buffer.from(kp.publicKeySpki), format: 'der', type: 'spki' });
    const m = new TextEncoder().encode('interop');
    const ours = await sign(ED, kp.privateKeyPkcs8, 'ED25519_SHA_512', m, 'RAW');
    expect(nodeVerify(null, m, pub, ours)).toBe(true);
    const theirs = nodeSign(null, m, priv);
    expect(await verify(ED, kp.publicKeySpki, 'ED25519_SHA_512', m, 'RAW', theirs)).toBe(true);
    const bad = ours.slice();
    bad[10]! ^= 1;
    expect(await verify(ED, kp.publicKeySpki, 'ED25519_SHA_512', m, 'RAW', bad)).toBe(false);
    expect(await verify(ED, kp.publicKeySpki, 'ED25519_SHA_512', m, 'RAW', ours.subarray(0, 63))).toBe(false);
  });

  it('refuses a non-canonical S (S + L), as RFC 8032 verification must', async () => {
    const spki = edSpki(RFC8032_TEST1.public);
    const sig = fromHex(RFC8032_TEST1.signature);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    const sPlusL = s + L;
    const forged = sig.slice();
    for (let i = 0, v = sPlusL; i < 32; i++, v >>= 8n) forged[32 + i] = Number(v & 0xffn);
    expect(await verify(ED, spki, 'ED25519_SHA_512', new Uint8Array(0), 'RAW', forged)).toBe(false);
  });
});

describe('Ed25519ph (ED25519_PH_SHA_512, DIGEST)', () => {
  it('RFC 8032 §7.3 TEST abc: signing SHA-512("abc") gives the published signature', async () => {
    const d = await digest('SHA-512', fromHex(RFC8032_PH_ABC.message));
    const sig = await sign(ED, edPkcs8(RFC8032_PH_ABC.secret), 'ED25519_PH_SHA_512', d, 'DIGEST');
    expect(toHex(sig)).toBe(RFC8032_PH_ABC.signature);
    const spki = edSpki(RFC8032_PH_ABC.public);
    expect(await verify(ED, spki, 'ED25519_PH_SHA_512', d, 'DIGEST', sig)).toBe(true);
    const other = await digest('SHA-512', new TextEncoder().encode('abd'));
    expect(await verify(ED, spki, 'ED25519_PH_SHA_512', other, 'DIGEST', sig)).toBe(false);
    // Not a pure Ed25519 signature of the message or the digest.
    expect(await verify(ED, spki, 'ED25519_SHA_512', fromHex(RFC8032_PH_ABC.message), 'RAW', sig)).toBe(false);
    expect(await verify(ED, spki, 'ED25519_SHA_512', d, 'RAW', sig)).toBe(false);
  });

  it('a digest that is not 64 bytes: sign throws RangeError, verify answers false', async () => {
    const pkcs8 = edPkcs8(RFC8032_PH_ABC.secret);
    await expect(sign(ED, pkcs8, 'ED25519_PH_SHA_512', new Uint8Array(32), 'DIGEST')).rejects.toThrow(RangeError);
    const spki = edSpki(RFC8032_PH_ABC.public);
    expect(await verify(ED, spki, 'ED25519_PH_SHA_512', new Uint8Array(63), 'DIGEST', fromHex(RFC8032_PH_ABC.signature))).toBe(false);
  });

  it('only the KMS pairings of algorithm and message type are routed (TypeError otherwise)', async () => {
    const kp = await generateKeyPair(ED);
    const d = new Uint8Array(64);
    await expect(sign(ED, kp.privateKeyPkcs8, 'ED25519_SHA_512', d, 'DIGEST')).rejects.toThrow(TypeError);
    await expect(sign(ED, kp.privateKeyPkcs8, 'ED25519_PH_SHA_512', d, 'RAW')).rejects.toThrow(TypeError);
    await expect(sign(ED, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', d, 'RAW')).rejects.toThrow(TypeError);
    await expect(sign(ED, kp.privateKeyPkcs8, 'ECDSA_SHA_512', d, 'DIGEST')).rejects.toThrow(TypeError);
    await expect(sign('ECC_NIST_P256', kp.privateKeyPkcs8, 'ECDSA_SHA_256', d, 'EXTERNAL_MU')).rejects.toThrow(TypeError);
  });
});

const SETS = [
  ['ML_DSA_44', ml_dsa44, 0x11, 1312, 2420],
  ['ML_DSA_65', ml_dsa65, 0x12, 1952, 3309],
  ['ML_DSA_87', ml_dsa87, 0x13, 2592, 4627],
] as const;

/** µ = SHAKE256(SHAKE256(pk, 64) || 0 || 0 || M, 64): pure ML-DSA with an empty context. */
function mu(pk: Uint8Array, m: Uint8Array): Uint8Array {
  return shake256(concatBytes(shake256(pk, { dkLen: 64 }), Uint8Array.of(0, 0), m), { dkLen: 64 });
}

describe.each(SETS)('%s (ML_DSA_SHAKE_256)', (spec, noble, oidLast, pkBytes, sigBytes) => {
  const m = new TextEncoder().encode('post-quantum hello');

  it('RFC 9881 encodings: seed-form PKCS#8 (54 bytes) and SPKI with the raw key; the seed re-derives the key', async () => {
    const kp = await generateKeyPair(spec);
    // SEQUENCE { INTEGER 0, SEQUENCE { id-ml-dsa-* }, OCTET STRING { [0] IMPLICIT OCTET STRING (32) } }
    expect(kp.privateKeyPkcs8.length).toBe(54);
    expect(toHex(kp.privateKeyPkcs8.subarray(0, 22))).toBe(`3034020100300b06096086480165030403${oidLast.toString(16)}04228020`);
    expect(kp.publicKeySpki.length).toBe(pkBytes + 22);
    const pk = kp.publicKeySpki.subarray(22);
    expect(toHex(noble.keygen(kp.privateKeyPkcs8.slice(22)).publicKey)).toBe(toHex(pk));
    expect(parseSpkiInfo(kp.publicKeySpki)).toEqual({ kind: 'ML-DSA', parameterSet: spec.replace(/_/g, '-') });
  });

  it('RAW and EXTERNAL_MU signatures verify here and with @noble/post-quantum directly', async () => {
    const kp = await generateKeyPair(spec);
    const pk = kp.publicKeySpki.subarray(22);
    const raw = await sign(spec, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', m, 'RAW');
    expect(raw.length).toBe(sigBytes);
    expect(noble.verify(raw, m, pk)).toBe(true);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', m, 'RAW', raw)).toBe(true);
    const viaMu = await sign(spec, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', mu(pk, m), 'EXTERNAL_MU');
    expect(noble.verify(viaMu, m, pk)).toBe(true);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', mu(pk, m), 'EXTERNAL_MU', raw)).toBe(true);
    // A signature made by noble itself verifies here.
    const seed = kp.privateKeyPkcs8.slice(22);
    const theirs = noble.sign(m, noble.keygen(seed).secretKey);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', m, 'RAW', theirs)).toBe(true);
  });

  it('tampering, wrong lengths and foreign keys answer false (never throw)', async () => {
    const kp = await generateKeyPair(spec);
    const sig = await sign(spec, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', m, 'RAW');
    const bad = sig.slice();
    bad[5]! ^= 0x40;
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', m, 'RAW', bad)).toBe(false);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', m, 'RAW', sig.subarray(1))).toBe(false);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', new TextEncoder().encode('other'), 'RAW', sig)).toBe(false);
    expect(await verify(spec, kp.publicKeySpki, 'ML_DSA_SHAKE_256', new Uint8Array(63), 'EXTERNAL_MU', sig)).toBe(false);
    await expect(sign(spec, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', new Uint8Array(65), 'EXTERNAL_MU')).rejects.toThrow(RangeError);
    await expect(sign(spec, kp.privateKeyPkcs8, 'ML_DSA_SHAKE_256', new Uint8Array(64), 'DIGEST')).rejects.toThrow(TypeError);
  });
});

describe('key encodings: strict parsing and kind checks', () => {
  it('refuses AlgorithmIdentifier parameters and wrong key lengths with CryptoFailure', async () => {
    // id-Ed25519 with a NULL parameter (RFC 8410: MUST be absent).
    const withNull = fromHex('302c300706032b65700500032100' + RFC8032_TEST1.public);
    expect(() => parseSpkiInfo(withNull)).toThrow(CryptoFailure);
    expect(() => parseSpkiInfo(fromHex('3029300506032b6570032000' + RFC8032_TEST1.public.slice(2)))).toThrow(CryptoFailure);
    const kp = await generateKeyPair('ML_DSA_44');
    const short = kp.publicKeySpki.slice(0, -1);
    expect(() => parseSpkiInfo(short)).toThrow(CryptoFailure);
  });

  it('a key of another kind is CryptoFailure', async () => {
    const ed = await generateKeyPair(ED);
    const ml44 = await generateKeyPair('ML_DSA_44');
    const m = new Uint8Array(8);
    await expect(sign('ML_DSA_44', ed.privateKeyPkcs8, 'ML_DSA_SHAKE_256', m, 'RAW')).rejects.toThrow(CryptoFailure);
    await expect(sign('ML_DSA_65', ml44.privateKeyPkcs8, 'ML_DSA_SHAKE_256', m, 'RAW')).rejects.toThrow(CryptoFailure);
    await expect(sign(ED, ml44.privateKeyPkcs8, 'ED25519_SHA_512', m, 'RAW')).rejects.toThrow(CryptoFailure);
    await expect(verify(ED, ml44.publicKeySpki, 'ED25519_SHA_512', m, 'RAW', new Uint8Array(64))).rejects.toThrow(CryptoFailure);
    const p256 = await generateKeyPair('ECC_NIST_P256');
    await expect(sign(ED, p256.privateKeyPkcs8, 'ED25519_SHA_512', m, 'RAW')).rejects.toThrow(CryptoFailure);
    await expect(
      sign('ECC_NIST_P256' as AsymmetricSpec, ed.privateKeyPkcs8, 'ECDSA_SHA_256', new Uint8Array(32), 'DIGEST'),
    ).rejects.toThrow(CryptoFailure);
  });
});
