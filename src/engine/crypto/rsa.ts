/**
 * RSA. OAEP and key generation go through WebCrypto. Signatures over a caller-supplied digest
 * (KMS MessageType DIGEST) cannot: WebCrypto always hashes the message itself. So PSS and
 * PKCS#1 v1.5 encoding (RFC 8017 §9) and the RSA operation are implemented here on BigInt,
 * and the RAW path uses WebCrypto when present, falling back to "hash, then the BigInt path".
 * WebCrypto also draws its randomness (primes, OAEP seeds, PSS salts) from the CSPRNG only; when
 * a reproducible world supplies another source, keys come from rsa-keygen.ts and OAEP and PSS
 * are encoded here with bytes from that source.
 * BigInt arithmetic is not constant-time; acceptable for a teaching simulator, not for an HSM.
 */
import { buf, importCached, requireSubtle } from './backend';
import { bigIntToBytes, bytesEqual, bytesToBigInt, concatBytes, fromHex, isCsprng, randomBytes, type RandomSource } from './bytes';
import { parsePkcs8, parseSpki, rsaSpki, type RsaPrivateKey } from './der';
import { CryptoFailure } from './errors';
import { NOBLE_HASH, hashLength } from './hash';
import { generateRsaKeyPairFrom } from './rsa-keygen';

/** KMS uses SHA-1 and SHA-256; the Encryption SDK's raw RSA keyring also uses SHA-384 and SHA-512. */
export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type SigHash = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type RsaScheme = 'PSS' | 'PKCS1';

export function modulusBits(n: bigint): number {
  return n.toString(2).length;
}

// ---- key generation and OAEP (WebCrypto) ----

/**
 * A fresh key pair, e = 65537. From the CSPRNG, WebCrypto generates it; from any other source
 * (a reproducible world's DRBG) rsa-keygen.ts does, since WebCrypto cannot be seeded.
 */
export async function generateRsaKeyPair(
  bits: number,
  random: RandomSource = randomBytes,
): Promise<{ privateKeyPkcs8: Uint8Array; publicKeySpki: Uint8Array }> {
  if (!isCsprng(random)) return generateRsaKeyPairFrom(bits, random);
  const s = requireSubtle('RSA key generation');
  // The algorithm named here only fixes the CryptoKey's usages; the exported DER says
  // rsaEncryption, so the same key bytes later import for OAEP, PSS or PKCS#1 v1.5 alike.
  const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' };
  const pair = await s.generateKey(params, true, ['sign', 'verify']);
  return {
    privateKeyPkcs8: new Uint8Array(await s.exportKey('pkcs8', pair.privateKey)),
    publicKeySpki: new Uint8Array(await s.exportKey('spki', pair.publicKey)),
  };
}

/** Largest OAEP plaintext: k - 2*hLen - 2 (RFC 8017 §7.1.1). */
export function rsaMaxOaepPlaintext(bits: number, hash: OaepHash): number {
  return Math.ceil(bits / 8) - 2 * hashLength(hash) - 2;
}

/**
 * Throws CryptoFailure for a key that is not RSA; RangeError for a plaintext over the limit.
 * WebCrypto encrypts with a seed from the CSPRNG; with another `random` (a reproducible world)
 * the OAEP encoding is done here so that its seed comes from that source.
 */
export async function rsaOaepEncrypt(
  publicKeySpki: Uint8Array,
  hash: OaepHash,
  plaintext: Uint8Array,
  label?: Uint8Array,
  random: RandomSource = randomBytes,
): Promise<Uint8Array> {
  const info = parseSpki(publicKeySpki);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA public key');
  const max = rsaMaxOaepPlaintext(modulusBits(info.n), hash);
  if (plaintext.length > max) throw new RangeError(`RSA-OAEP: plaintext is ${plaintext.length} bytes, limit ${max}`);
  if (!isCsprng(random)) return oaepEncryptBigInt(info.n, info.e, hash, plaintext, label ?? new Uint8Array(0), random);
  const s = requireSubtle('RSA-OAEP');
  const key = await importCached(publicKeySpki, `RSA-OAEP/${hash}/encrypt`, () =>
    s.importKey('spki', buf(publicKeySpki), { name: 'RSA-OAEP', hash }, false, ['encrypt']),
  );
  const params: RsaOaepParams = label ? { name: 'RSA-OAEP', label: buf(label) } : { name: 'RSA-OAEP' };
  return new Uint8Array(await s.encrypt(params, key, buf(plaintext)));
}

/** Throws CryptoFailure for any bad ciphertext or padding, never saying which. `label` defaults to empty (as KMS). */
export async function rsaOaepDecrypt(
  privateKeyPkcs8: Uint8Array,
  hash: OaepHash,
  ciphertext: Uint8Array,
  label?: Uint8Array,
): Promise<Uint8Array> {
  const s = requireSubtle('RSA-OAEP');
  const key = await importCached(privateKeyPkcs8, `RSA-OAEP/${hash}/decrypt`, () =>
    s.importKey('pkcs8', buf(privateKeyPkcs8), { name: 'RSA-OAEP', hash }, false, ['decrypt']),
  );
  const params: RsaOaepParams = label ? { name: 'RSA-OAEP', label: buf(label) } : { name: 'RSA-OAEP' };
  try {
    return new Uint8Array(await s.decrypt(params, key, buf(ciphertext)));
  } catch {
    throw new CryptoFailure();
  }
}

// ---- signatures over a digest (BigInt) ----

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
  }
  return result;
}

/** m^d mod n via the CRT (about 4x faster than plain), then checked with the public exponent so a
 *  key with inconsistent CRT parts can never emit a wrong signature (which would leak a factor of n). */
function rsaPrivate(key: RsaPrivateKey, m: bigint): bigint {
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  const h = (key.qi * (((m1 - m2) % key.p) + key.p)) % key.p;
  const s = m2 + h * key.q;
  if (modPow(s, key.e, key.n) !== m) throw new CryptoFailure('RSA private key is inconsistent');
  return s;
}

/** DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Record<SigHash, Uint8Array> = {
  'SHA-256': fromHex('3031300d060960864801650304020105000420'),
  'SHA-384': fromHex('3041300d060960864801650304020205000430'),
  'SHA-512': fromHex('3051300d060960864801650304020305000440'),
};

/** EMSA-PKCS1-v1_5: 00 01 FF..FF 00 DigestInfo. Deterministic, so verification re-encodes and compares. */
function pkcs1Encode(hash: SigHash, digest: Uint8Array, emLen: number): Uint8Array {
  const t = concatBytes(DIGEST_INFO[hash], digest);
  if (emLen < t.length + 11) throw new RangeError('RSA key too small for this hash');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[emLen - t.length - 1] = 0;
  em.set(t, emLen - t.length);
  return em;
}

function mgf1(hash: OaepHash, seed: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const h = NOBLE_HASH[hash];
  for (let counter = 0, off = 0; off < len; counter++, off += h.outputLen) {
    const block = h(concatBytes(seed, Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff)));
    out.set(block.subarray(0, Math.min(block.length, len - off)), off);
  }
  return out;
}

/** H = Hash(0x00 * 8 || mHash || salt), the value PSS signs (RFC 8017 §9.1.1 step 6). */
function pssHash(hash: SigHash, digest: Uint8Array, salt: Uint8Array): Uint8Array {
  return NOBLE_HASH[hash](concatBytes(new Uint8Array(8), digest, salt));
}

/** EMSA-PSS-ENCODE with sLen = hLen and MGF1 over the same hash, as KMS signs. */
function pssEncode(hash: SigHash, digest: Uint8Array, emBits: number, random: RandomSource): Uint8Array {
  const hLen = hashLength(hash);
  const emLen = Math.ceil(emBits / 8);
  if (emLen < 2 * hLen + 2) throw new RangeError('RSA key too small for this hash');
  const salt = random(hLen);
  const h = pssHash(hash, digest, salt);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - hLen - 1] = 0x01;
  db.set(salt, db.length - hLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  return concatBytes(db, h, Uint8Array.of(0xbc));
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen fixed to hLen. */
function pssVerify(hash: SigHash, digest: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = hashLength(hash);
  const emLen = em.length;
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((em[0]! & ~topMask) !== 0) return false;
  const db = em.slice(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= topMask;
  const psEnd = db.length - hLen - 1;
  for (let i = 0; i < psEnd; i++) if (db[i] !== 0) return false;
  if (db[psEnd] !== 0x01) return false;
  return bytesEqual(h, pssHash(hash, digest, db.subarray(psEnd + 1)));
}

/** PSS takes its salt from `random`; PKCS#1 v1.5 signatures are deterministic. */
export function rsaSignDigest(
  privateKeyPkcs8: Uint8Array,
  scheme: RsaScheme,
  hash: SigHash,
  digest: Uint8Array,
  random: RandomSource = randomBytes,
): Uint8Array {
  if (digest.length !== hashLength(hash)) throw new RangeError(`digest must be ${hashLength(hash)} bytes for ${hash}`);
  const info = parsePkcs8(privateKeyPkcs8);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA private key');
  const bits = modulusBits(info.key.n);
  const k = Math.ceil(bits / 8);
  // PSS encodes into modBits-1 bits so the encoded value is always below n.
  const em = scheme === 'PSS' ? pssEncode(hash, digest, bits - 1, random) : pkcs1Encode(hash, digest, k);
  return bigIntToBytes(rsaPrivate(info.key, bytesToBigInt(em)), k);
}

/** False for any wrong, malformed or wrongly sized signature. */
export function rsaVerifyDigest(
  publicKeySpki: Uint8Array,
  scheme: RsaScheme,
  hash: SigHash,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const info = parseSpki(publicKeySpki);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA public key');
  if (digest.length !== hashLength(hash)) return false;
  const bits = modulusBits(info.n);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  const s = bytesToBigInt(signature);
  if (s >= info.n) return false;
  const m = modPow(s, info.e, info.n);
  if (scheme === 'PKCS1') return bytesEqual(bigIntToBytes(m, k), pkcs1Encode(hash, digest, k));
  const emLen = Math.ceil((bits - 1) / 8);
  if (m >= 1n << BigInt(8 * emLen)) return false;
  return pssVerify(hash, digest, bigIntToBytes(m, emLen), bits - 1);
}

// ---- signatures over a message (WebCrypto) ----

function webCryptoParams(scheme: RsaScheme, hash: SigHash) {
  const name = scheme === 'PSS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
  return { importParams: { name, hash }, opParams: scheme === 'PSS' ? { name, saltLength: hashLength(hash) } : { name } };
}

export async function rsaSignWebCrypto(
  s: SubtleCrypto,
  privateKeyPkcs8: Uint8Array,
  scheme: RsaScheme,
  hash: SigHash,
  message: Uint8Array,
): Promise<Uint8Array> {
  const { importParams, opParams } = webCryptoParams(scheme, hash);
  const key = await importCached(privateKeyPkcs8, `${importParams.name}/${hash}/sign`, () =>
    s.importKey('pkcs8', buf(privateKeyPkcs8), importParams, false, ['sign']),
  );
  return new Uint8Array(await s.sign(opParams, key, buf(message)));
}

export async function rsaVerifyWebCrypto(
  s: SubtleCrypto,
  publicKeySpki: Uint8Array,
  scheme: RsaScheme,
  hash: SigHash,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const info = parseSpki(publicKeySpki);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA public key');
  // RFC 8017 requires exactly k bytes. OpenSSL (behind Node's WebCrypto) also accepts a signature
  // whose leading zero bytes were dropped; refuse it so both paths give the same answer.
  if (signature.length !== Math.ceil(modulusBits(info.n) / 8)) return false;
  const { importParams, opParams } = webCryptoParams(scheme, hash);
  const key = await importCached(publicKeySpki, `${importParams.name}/${hash}/verify`, () =>
    s.importKey('spki', buf(publicKeySpki), importParams, false, ['verify']),
  );
  try {
    return await s.verify(opParams, key, buf(signature), buf(message));
  } catch {
    return false; // some engines throw, rather than answer false, on a wrongly sized signature
  }
}

// ---- PKCS#1 v1.5 encryption (BigInt; WebCrypto has none) ----

/** The public key (SPKI) that belongs to a PKCS#8 RSA private key. */
export function rsaPublicFromPrivate(privateKeyPkcs8: Uint8Array): Uint8Array {
  const info = parsePkcs8(privateKeyPkcs8);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA private key');
  return rsaSpki(info.key.n, info.key.e);
}

/** RSAES-PKCS1-v1_5 (RFC 8017 §7.2.1): EM = 00 02 PS(nonzero random, >= 8) 00 M. */
export function rsaPkcs1Encrypt(publicKeySpki: Uint8Array, plaintext: Uint8Array, random: RandomSource = randomBytes): Uint8Array {
  const info = parseSpki(publicKeySpki);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA public key');
  const k = Math.ceil(modulusBits(info.n) / 8);
  if (plaintext.length > k - 11) throw new RangeError(`RSA PKCS#1 v1.5: plaintext is ${plaintext.length} bytes, limit ${k - 11}`);
  const ps = new Uint8Array(k - 3 - plaintext.length);
  for (let filled = 0; filled < ps.length;) {
    for (const b of random(ps.length - filled)) if (b !== 0 && filled < ps.length) ps[filled++] = b;
  }
  const em = concatBytes(Uint8Array.of(0, 2), ps, Uint8Array.of(0), plaintext);
  return bigIntToBytes(modPow(bytesToBigInt(em), info.e, info.n), k);
}

/**
 * RSAES-OAEP-ENCRYPT (RFC 8017 §7.1.1) on BigInt, MGF1 over the same hash, the seed from
 * `random`. Used only when the seed must come from a source WebCrypto cannot take; the result
 * is an ordinary OAEP ciphertext that WebCrypto (rsaOaepDecrypt) decrypts.
 */
function oaepEncryptBigInt(n: bigint, e: bigint, hash: OaepHash, message: Uint8Array, label: Uint8Array, random: RandomSource): Uint8Array {
  const k = Math.ceil(modulusBits(n) / 8);
  const hLen = hashLength(hash);
  const db = new Uint8Array(k - hLen - 1);
  db.set(NOBLE_HASH[hash](label), 0);
  db[db.length - message.length - 1] = 0x01;
  db.set(message, db.length - message.length);
  const seed = random(hLen);
  const dbMask = mgf1(hash, seed, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= dbMask[i]!;
  const seedMask = mgf1(hash, db, hLen);
  for (let i = 0; i < hLen; i++) seed[i]! ^= seedMask[i]!;
  const em = concatBytes(Uint8Array.of(0), seed, db);
  return bigIntToBytes(modPow(bytesToBigInt(em), e, n), k);
}

/**
 * RSAES-PKCS1-v1_5 decryption. Throws CryptoFailure for every kind of bad input without saying
 * which. Not constant-time (BigInt), so it is a Bleichenbacher oracle in principle: fine for a
 * teaching simulator, never for real keys.
 */
export function rsaPkcs1Decrypt(privateKeyPkcs8: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const info = parsePkcs8(privateKeyPkcs8);
  if (info.kind !== 'RSA') throw new CryptoFailure('not an RSA private key');
  const k = Math.ceil(modulusBits(info.key.n) / 8);
  const c = bytesToBigInt(ciphertext);
  if (ciphertext.length !== k || c >= info.key.n) throw new CryptoFailure();
  const em = bigIntToBytes(rsaPrivate(info.key, c), k);
  let sep = -1;
  for (let i = 2; i < k; i++) {
    if (em[i] === 0) {
      sep = i;
      break;
    }
  }
  if (em[0] !== 0 || em[1] !== 2 || sep < 10) throw new CryptoFailure();
  return em.slice(sep + 1);
}
