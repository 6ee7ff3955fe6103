/**
 * Just enough strict DER for keys and ECDSA signatures. Strict on purpose: a signature or key
 * has exactly one valid encoding, so BER leniency (long-form short lengths, indefinite lengths,
 * padded integers, trailing bytes) is refused rather than silently normalised.
 */
import { bigIntToMinimalBytes, bytesEqual, bytesToBigInt, concatBytes } from './bytes';
import { CryptoFailure } from './errors';

export interface Der {
  tag: number;
  body: Uint8Array;
}

const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30 } as const;

function malformed(what: string): CryptoFailure {
  return new CryptoFailure(`malformed DER: ${what}`);
}

function readAt(bytes: Uint8Array, pos: number): { node: Der; next: number } {
  const tag = bytes[pos];
  let lenByte = bytes[pos + 1];
  if (tag === undefined || lenByte === undefined) throw malformed('truncated header');
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tag');
  let p = pos + 2;
  let len = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    if (n === 0) throw malformed('indefinite length');
    if (n > 4) throw malformed('length too long');
    len = 0;
    for (let i = 0; i < n; i++) {
      lenByte = bytes[p++];
      if (lenByte === undefined) throw malformed('truncated length');
      if (i === 0 && lenByte === 0) throw malformed('non-minimal length');
      len = len * 256 + lenByte;
    }
    if (len < 0x80) throw malformed('non-minimal length');
  }
  if (p + len > bytes.length) throw malformed('truncated body');
  return { node: { tag, body: bytes.subarray(p, p + len) }, next: p + len };
}

/** Decodes one element that must fill `bytes` exactly (no trailing data). */
export function decode(bytes: Uint8Array, tag?: number): Der {
  const { node, next } = readAt(bytes, 0);
  if (next !== bytes.length) throw malformed('trailing bytes');
  if (tag !== undefined && node.tag !== tag) throw malformed(`expected tag 0x${tag.toString(16)}`);
  return node;
}

/** The children of a constructed element (e.g. a SEQUENCE body). */
export function children(body: Uint8Array): Der[] {
  const out: Der[] = [];
  for (let pos = 0; pos < body.length;) {
    const { node, next } = readAt(body, pos);
    out.push(node);
    pos = next;
  }
  return out;
}

/** A SEQUENCE's children, checked against a minimum count. */
export function sequence(bytes: Uint8Array, minChildren: number): Der[] {
  const items = children(decode(bytes, TAG.SEQUENCE).body);
  if (items.length < minChildren) throw malformed('too few elements');
  return items;
}

function child(items: Der[], i: number, tag: number): Der {
  const item = items[i];
  if (!item || item.tag !== tag) throw malformed(`element ${i} is not tag 0x${tag.toString(16)}`);
  return item;
}

/** A non-negative INTEGER in minimal form. */
export function readUint(node: Der | undefined): bigint {
  if (!node || node.tag !== TAG.INTEGER) throw malformed('expected INTEGER');
  const b = node.body;
  if (b.length === 0) throw malformed('empty INTEGER');
  if (b[0]! & 0x80) throw malformed('negative INTEGER');
  if (b.length > 1 && b[0] === 0 && !(b[1]! & 0x80)) throw malformed('non-minimal INTEGER');
  return bytesToBigInt(b);
}

// ---- writing ----

export function encode(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  let len: number[];
  if (n < 0x80) len = [n];
  else {
    len = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v % 256);
    len.unshift(0x80 | len.length);
  }
  return concatBytes(Uint8Array.of(tag, ...len), body);
}

export const seq = (...parts: Uint8Array[]) => encode(TAG.SEQUENCE, concatBytes(...parts));
export const octets = (b: Uint8Array) => encode(TAG.OCTET_STRING, b);
export const bits = (b: Uint8Array) => encode(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), b));

export function uint(n: bigint): Uint8Array {
  const b = bigIntToMinimalBytes(n);
  return encode(TAG.INTEGER, b[0]! & 0x80 ? concatBytes(Uint8Array.of(0), b) : b);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const septets = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) septets.unshift(0x80 | (v & 0x7f));
    out.push(...septets);
  }
  return encode(TAG.OID, Uint8Array.from(out));
}

// ---- keys ----

export type CurveName = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

const OID_RSA = oid('1.2.840.113549.1.1.1');
const OID_EC = oid('1.2.840.10045.2.1');
const CURVE_OIDS: Record<CurveName, Uint8Array> = {
  'P-256': oid('1.2.840.10045.3.1.7'),
  'P-384': oid('1.3.132.0.34'),
  'P-521': oid('1.3.132.0.35'),
  secp256k1: oid('1.3.132.0.10'),
};
const NULL = Uint8Array.of(TAG.NULL, 0);
/** id-Ed25519 (RFC 8410 §3); AlgorithmIdentifier parameters absent. */
const OID_ED25519 = oid('1.3.101.112');

export type MlDsaSet = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
/** id-ml-dsa-44/65/87 (NIST CSOR sigAlgs, RFC 9881); AlgorithmIdentifier parameters absent. */
const ML_DSA_OIDS: Record<MlDsaSet, Uint8Array> = {
  'ML-DSA-44': oid('2.16.840.1.101.3.4.3.17'),
  'ML-DSA-65': oid('2.16.840.1.101.3.4.3.18'),
  'ML-DSA-87': oid('2.16.840.1.101.3.4.3.19'),
};
/** `seed [0] IMPLICIT OCTET STRING (SIZE (32))`, the ML-DSA-PrivateKey CHOICE arm RFC 9881 recommends. */
const TAG_ML_DSA_SEED = 0x80;

export type PublicKeyInfo =
  | { kind: 'RSA'; n: bigint; e: bigint }
  | { kind: 'EC'; curve: CurveName; point: Uint8Array }
  | { kind: 'Ed25519'; key: Uint8Array }
  | { kind: 'ML-DSA'; set: MlDsaSet; key: Uint8Array };

export interface RsaPrivateKey {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}
export type PrivateKeyInfo =
  | { kind: 'RSA'; key: RsaPrivateKey }
  | { kind: 'EC'; curve: CurveName; scalar: Uint8Array }
  | { kind: 'Ed25519'; seed: Uint8Array }
  | { kind: 'ML-DSA'; set: MlDsaSet; seed: Uint8Array };

type AlgorithmKind = { kind: 'RSA' } | { kind: 'EC'; curve: CurveName } | { kind: 'Ed25519' } | { kind: 'ML-DSA'; set: MlDsaSet };

/** Re-encodes a decoded node, to compare an OID element against a constant. */
function whole(node: Der): Uint8Array {
  return encode(node.tag, node.body);
}

/** AlgorithmIdentifier → which kind of key, and the curve for EC keys (named curves only). */
function readAlgorithm(node: Der | undefined): AlgorithmKind {
  if (!node || node.tag !== TAG.SEQUENCE) throw malformed('expected AlgorithmIdentifier');
  const [algo, params, ...rest] = children(node.body);
  if (!algo || algo.tag !== TAG.OID) throw malformed('expected algorithm OID');
  const id = whole(algo);
  if (bytesEqual(id, OID_RSA)) return { kind: 'RSA' };
  // RFC 8410 and RFC 9881: the parameters MUST be absent for these.
  if (bytesEqual(id, OID_ED25519)) {
    if (params || rest.length) throw malformed('Ed25519 AlgorithmIdentifier with parameters');
    return { kind: 'Ed25519' };
  }
  for (const [set, setOid] of Object.entries(ML_DSA_OIDS) as [MlDsaSet, Uint8Array][]) {
    if (!bytesEqual(id, setOid)) continue;
    if (params || rest.length) throw malformed('ML-DSA AlgorithmIdentifier with parameters');
    return { kind: 'ML-DSA', set };
  }
  if (bytesEqual(id, OID_EC) && params) {
    const named = whole(params);
    for (const [curve, curveOid] of Object.entries(CURVE_OIDS) as [CurveName, Uint8Array][]) {
      if (bytesEqual(named, curveOid)) return { kind: 'EC', curve };
    }
  }
  throw new CryptoFailure('unsupported key algorithm');
}

function bitStringBytes(node: Der): Uint8Array {
  if (node.body[0] !== 0) throw malformed('BIT STRING with unused bits');
  return node.body.subarray(1);
}

/** Raw public key sizes (FIPS 204 Table 2). */
export const ML_DSA_PUBLIC_BYTES: Record<MlDsaSet, number> = { 'ML-DSA-44': 1312, 'ML-DSA-65': 1952, 'ML-DSA-87': 2592 };

/** SubjectPublicKeyInfo (RFC 5280) for RSA, named-curve EC, Ed25519 (RFC 8410) or ML-DSA (RFC 9881) keys. */
export function parseSpki(spki: Uint8Array): PublicKeyInfo {
  const items = sequence(spki, 2);
  const algo = readAlgorithm(items[0]);
  const key = bitStringBytes(child(items, 1, TAG.BIT_STRING));
  if (algo.kind === 'EC') return { kind: 'EC', curve: algo.curve, point: key };
  if (algo.kind === 'Ed25519') {
    if (key.length !== 32) throw malformed('Ed25519 public key must be 32 bytes');
    return { kind: 'Ed25519', key };
  }
  if (algo.kind === 'ML-DSA') {
    if (key.length !== ML_DSA_PUBLIC_BYTES[algo.set]) throw malformed(`${algo.set} public key has the wrong length`);
    return { kind: 'ML-DSA', set: algo.set, key };
  }
  const [n, e] = sequence(key, 2);
  return { kind: 'RSA', n: readUint(n), e: readUint(e) };
}

export const CURVE_BYTES: Record<CurveName, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 };

/**
 * PKCS#8 PrivateKeyInfo (RFC 5208/5958) holding an RSAPrivateKey (RFC 8017), ECPrivateKey
 * (RFC 5915), Ed25519 CurvePrivateKey (RFC 8410: the 32-byte seed in an OCTET STRING) or an
 * ML-DSA-PrivateKey in its seed form (RFC 9881: `[0] IMPLICIT OCTET STRING`, 32 bytes; the
 * expandedKey and both forms are refused).
 */
export function parsePkcs8(pkcs8: Uint8Array): PrivateKeyInfo {
  const items = sequence(pkcs8, 3);
  readUint(items[0]);
  const algo = readAlgorithm(items[1]);
  const inner = child(items, 2, TAG.OCTET_STRING).body;
  if (algo.kind === 'Ed25519') {
    const seed = decode(inner, TAG.OCTET_STRING).body;
    if (seed.length !== 32) throw malformed('Ed25519 private key must be 32 bytes');
    return { kind: 'Ed25519', seed };
  }
  if (algo.kind === 'ML-DSA') {
    const seed = decode(inner, TAG_ML_DSA_SEED).body;
    if (seed.length !== 32) throw malformed('ML-DSA seed must be 32 bytes');
    return { kind: 'ML-DSA', set: algo.set, seed };
  }
  if (algo.kind === 'RSA') {
    const f = sequence(inner, 9).slice(1, 9).map(readUint);
    const [n, e, d, p, q, dp, dq, qi] = f as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    return { kind: 'RSA', key: { n, e, d, p, q, dp, dq, qi } };
  }
  const ec = sequence(inner, 2);
  const raw = child(ec, 1, TAG.OCTET_STRING).body;
  const size = CURVE_BYTES[algo.curve];
  if (raw.length > size) throw malformed('EC private key too long');
  // RFC 5915 asks for fixed-length scalars, but some encoders drop leading zero bytes.
  const scalar = new Uint8Array(size);
  scalar.set(raw, size - raw.length);
  return { kind: 'EC', curve: algo.curve, scalar };
}

export function ecSpki(curve: CurveName, point: Uint8Array): Uint8Array {
  return seq(seq(OID_EC, CURVE_OIDS[curve]), bits(point));
}

/** PKCS#8 for an EC key, laid out as OpenSSL writes it (public point included under [1]). */
export function ecPkcs8(curve: CurveName, scalar: Uint8Array, point: Uint8Array): Uint8Array {
  const ecPrivateKey = seq(uint(1n), octets(scalar), encode(0xa1, bits(point)));
  return seq(uint(0n), seq(OID_EC, CURVE_OIDS[curve]), octets(ecPrivateKey));
}

export function ed25519Spki(publicKey: Uint8Array): Uint8Array {
  return seq(seq(OID_ED25519), bits(publicKey));
}

/** RFC 8410 §7: version 0, no attributes, no public key; privateKey = OCTET STRING { seed }. */
export function ed25519Pkcs8(seed: Uint8Array): Uint8Array {
  return seq(uint(0n), seq(OID_ED25519), octets(octets(seed)));
}

export function mlDsaSpki(set: MlDsaSet, publicKey: Uint8Array): Uint8Array {
  return seq(seq(ML_DSA_OIDS[set]), bits(publicKey));
}

/** RFC 9881 seed form: privateKey = OCTET STRING { [0] IMPLICIT OCTET STRING (32-byte seed ξ) }. */
export function mlDsaPkcs8(set: MlDsaSet, seed: Uint8Array): Uint8Array {
  return seq(uint(0n), seq(ML_DSA_OIDS[set]), octets(encode(TAG_ML_DSA_SEED, seed)));
}

export function rsaSpki(n: bigint, e: bigint): Uint8Array {
  return seq(seq(OID_RSA, NULL), bits(seq(uint(n), uint(e))));
}

/** PKCS#8 holding an RFC 8017 RSAPrivateKey (version 0, two primes), as WebCrypto exports one. */
export function rsaPkcs8(k: RsaPrivateKey): Uint8Array {
  const rsaPrivateKey = seq(uint(0n), ...[k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qi].map(uint));
  return seq(uint(0n), seq(OID_RSA, NULL), octets(rsaPrivateKey));
}

// ---- ECDSA signatures ----

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, exactly two positive minimal integers. */
export function ecdsaSigFromDer(der: Uint8Array): { r: bigint; s: bigint } {
  const items = sequence(der, 2);
  if (items.length !== 2) throw malformed('ECDSA signature must hold exactly r and s');
  return { r: readUint(items[0]), s: readUint(items[1]) };
}

export function ecdsaSigToDer(r: bigint, s: bigint): Uint8Array {
  return seq(uint(r), uint(s));
}
