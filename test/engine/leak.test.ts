/**
 * The API never hands out KMS key material (DESIGN.md "The engine contract"): a broad session's
 * every response, error, trace and CloudTrail event is scanned for every symmetric secret,
 * HMAC secret and private key the world holds, raw and as base64 or hex. The save file
 * (world.snapshot()) is where material is allowed to be, and the scanner must find it there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, World } from '../../src/engine';
import { setup } from './helpers';
import { broadSession } from './session';

interface Needle {
  what: string;
  bytes: Buffer;
}
interface Hay {
  path: string;
  bytes: Buffer;
}

// ---------- DER, just enough to find the private parts of a PKCS#8 key ----------

interface Tlv {
  tag: number;
  start: number;
  end: number;
}
function readTlv(b: Uint8Array, o: number): Tlv & { next: number } {
  const tag = b[o]!;
  let len = b[o + 1]!;
  let start = o + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[o + 2 + i]!;
    start += n;
  }
  return { tag, start, end: start + len, next: start + len };
}
function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let o = t.start; o < t.end;) {
    const c = readTlv(b, o);
    out.push(c);
    o = c.next;
  }
  return out;
}
const content = (b: Uint8Array, t: Tlv) => {
  let v = b.subarray(t.start, t.end);
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return v;
};

/**
 * The secret components inside a PKCS#8 PrivateKeyInfo: RSA d, p, q, dp, dq, qinv; EC private
 * scalar; the Ed25519 seed (RFC 8410 OCTET STRING) or ML-DSA seed (RFC 9881 [0] IMPLICIT).
 */
function privateParts(pkcs8: Uint8Array): Uint8Array[] {
  const outer = readTlv(pkcs8, 0);
  const [, alg, priv] = children(pkcs8, outer);
  if (!alg || !priv || priv.tag !== 0x04) throw new Error('not PKCS#8');
  const inner = readTlv(pkcs8, priv.start);
  if (inner.tag === 0x04 || inner.tag === 0x80) return [pkcs8.subarray(inner.start, inner.end)];
  const parts = children(pkcs8, inner);
  const isRsa = Buffer.from(pkcs8.subarray(alg.start, alg.end)).includes(
    Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
  );
  if (isRsa) return parts.slice(3, 9).map((t) => content(pkcs8, t));
  const d = parts.find((t) => t.tag === 0x04);
  if (!d) throw new Error('no EC private key');
  return [content(pkcs8, d)];
}

const windows = (b: Uint8Array, what: string): Needle[] => {
  const out: Needle[] = [{ what, bytes: Buffer.from(b) }];
  if (b.length > 16)
    for (const o of [0, Math.floor((b.length - 16) / 2), b.length - 16])
      out.push({ what: `${what}[${o}..${o + 16}]`, bytes: Buffer.from(b.subarray(o, o + 16)) });
  return out;
};

// ---------- the scanner ----------

const B64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX_RUN = /[0-9a-fA-F]{32,}/g;

function decodings(s: string): Buffer[] {
  const out = [Buffer.from(s, 'utf8')];
  for (const m of s.match(B64_RUN) ?? []) {
    for (let shift = 0; shift < 4; shift++) out.push(Buffer.from(m.slice(shift).replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }
  for (const m of s.match(HEX_RUN) ?? [])
    for (const shift of [0, 1]) out.push(Buffer.from(m.slice(shift, shift + ((m.length - shift) & ~1)), 'hex'));
  return out;
}

/** Every byte string reachable in `v` (Uint8Arrays raw; strings and their base64/hex decodings). */
function collect(v: unknown, path: string, out: Hay[], seen = new Set<unknown>()): void {
  if (v instanceof Uint8Array) {
    out.push({ path, bytes: Buffer.from(v) });
    return;
  }
  if (typeof v === 'string') {
    for (const b of decodings(v)) out.push({ path, bytes: b });
    return;
  }
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Date) return;
  for (const [k, x] of Object.entries(v)) {
    collect(k, `${path}.<key>`, out, seen);
    collect(x, `${path}.${k}`, out, seen);
  }
  // Errors keep their text outside enumerable properties.
  if (v instanceof Error) collect(v.message, `${path}.message`, out, seen);
}

function scan(hay: Hay[], needles: Needle[]): { path: string; what: string }[] {
  const found: { path: string; what: string }[] = [];
  for (const h of hay)
    for (const n of needles) if (h.bytes.length >= n.bytes.length && h.bytes.includes(n.bytes)) found.push({ path: h.path, what: n.what });
  return found;
}

/** Where AWS itself returns secrets (data keys, not KMS key material). */
const ALLOWED = [
  /^record\[\d+\]\(GenerateDataKey\)\.output\.Plaintext$/,
  /^record\[\d+\]\(GenerateDataKeyPair\)\.output\.PrivateKeyPlaintext$/,
];

// ---------- the session ----------

let world: World;
let records: CallRecord[];
let doomedArn: string;
const needles: Needle[] = [];
const materials = new Map<string, { kind: string; bytes: Uint8Array; arn: string }>();

function remember(w: World): void {
  for (const k of w.kms.keys.values()) {
    for (const m of k.materials) {
      if (materials.has(m.id)) continue;
      materials.set(
        m.id,
        m.kind === 'asymmetric'
          ? { kind: `${k.keySpec} private key`, bytes: m.privateKeyPkcs8, arn: k.arn }
          : { kind: `${k.keySpec} secret`, bytes: m.secret, arn: k.arn },
      );
    }
  }
}

beforeAll(async () => {
  ({ world } = await setup(401));
  // Key material is noted after every call, so keys deleted during the session are scanned for too.
  world.onCall(() => remember(world));
  world.clock.onTick(() => remember(world));
  const s = await broadSession(world);
  records = s.records;
  doomedArn = s.keys.doomed!.Arn;
  remember(world);
  for (const [id, m] of materials) {
    if (m.kind.endsWith('private key')) {
      needles.push({ what: `${m.kind} ${id.slice(0, 8)} (PKCS#8)`, bytes: Buffer.from(m.bytes) });
      privateParts(m.bytes).forEach((p, i) => needles.push(...windows(p, `${m.kind} ${id.slice(0, 8)} part ${i}`)));
    } else {
      needles.push(...windows(m.bytes, `${m.kind} ${id.slice(0, 8)}`));
    }
  }
});

function everything(recs: CallRecord[], w: World): Hay[] {
  const hay: Hay[] = [];
  recs.forEach((r, i) => {
    const base = `record[${i}](${r.action})`;
    collect(r.output, `${base}.output`, hay);
    collect(r.error, `${base}.error`, hay);
    collect(r.trace, `${base}.trace`, hay);
    collect(r.event, `${base}.event`, hay);
    collect(JSON.stringify(r.trace), `${base}.trace(json)`, hay);
    collect(JSON.stringify(r.event), `${base}.event(json)`, hay);
  });
  w.cloudtrail.events.forEach((e, i) => collect(e, `cloudtrail[${i}]`, hay));
  return hay;
}

describe('no key material leaves KMS', () => {
  it('the session made every kind of key material and deleted a key on the way', () => {
    const kinds = new Set([...materials.values()].map((m) => m.kind));
    for (const k of [
      'SYMMETRIC_DEFAULT secret',
      'HMAC_224 secret',
      'HMAC_512 secret',
      'RSA_2048 private key',
      'ECC_NIST_P256 private key',
      'ECC_NIST_P521 private key',
      'ECC_SECG_P256K1 private key',
      'ECC_NIST_EDWARDS25519 private key',
      'ML_DSA_44 private key',
    ]) {
      expect(kinds).toContain(k);
    }
    // Rotation added material; the deleted key's material was noted before it went.
    expect(materials.size).toBeGreaterThan(world.kms.keys.size);
    expect(world.kms.keys.has(doomedArn)).toBe(false);
    expect([...materials.values()].some((m) => m.arn === doomedArn)).toBe(true);
    expect(needles.length).toBeGreaterThan(100);
  });

  it('no response, error, trace or CloudTrail event holds any of it', () => {
    const hay = everything(records, world);
    expect(hay.length).toBeGreaterThan(1000);
    const leaks = scan(hay, needles).filter((f) => !ALLOWED.some((re) => re.test(f.path)));
    expect(leaks).toEqual([]);
  });

  it('the data keys AWS does return are not KMS key material either', () => {
    const hay: Hay[] = [];
    records.forEach((r, i) => {
      if (r.action === 'GenerateDataKey' || r.action === 'GenerateDataKeyPair') collect(r.output, `record[${i}](${r.action}).output`, hay);
    });
    expect(hay.some((h) => h.path.endsWith('.Plaintext') || h.path.endsWith('.PrivateKeyPlaintext'))).toBe(true);
    expect(scan(hay, needles)).toEqual([]);
  });

  it('the save file holds the material (that is where it belongs), and the scanner finds it there', () => {
    const hay: Hay[] = [];
    collect(JSON.stringify(world.snapshot()), 'snapshot', hay);
    const found = new Set(scan(hay, needles).map((f) => f.what));
    const live = [...world.kms.keys.values()].flatMap((k) => k.materials.map((m) => m.id.slice(0, 8)));
    for (const id of live) expect([...found].some((w) => w.includes(id))).toBe(true);
  });
});

describe('the scanner can fail (negative control)', () => {
  const planted = (mutate: (r: CallRecord, secret: Uint8Array) => void, pick: (kind: string) => boolean) => {
    const entry = [...materials.values()].find((m) => pick(m.kind))!;
    const fake = structuredClone(records.find((r) => r.action === 'Encrypt' && !r.error)!);
    mutate(fake, entry.bytes);
    return scan(everything([fake], { cloudtrail: { events: [] } } as unknown as World), needles);
  };

  it('finds a symmetric secret returned as raw bytes', () => {
    const found = planted(
      (r, s) => ((r.output as Record<string, unknown>).Extra = s.slice()),
      (k) => k === 'SYMMETRIC_DEFAULT secret',
    );
    expect(found.length).toBeGreaterThan(0);
  });

  it('finds an HMAC secret written as base64 in a trace step', () => {
    const found = planted(
      (r, s) =>
        r.trace.steps.push({ node: 'KMS', step: 'failed', errorCode: 'X', message: `key=${Buffer.from(s).toString('base64')}`, at: 0 }),
      (k) => k === 'HMAC_384 secret',
    );
    expect(found.length).toBeGreaterThan(0);
  });

  it('finds 16 bytes of an EC private scalar written as hex in a CloudTrail event', () => {
    const found = planted(
      (r, s) => {
        const scalar = privateParts(s)[0]!;
        r.event.additionalEventData = { note: `x${Buffer.from(scalar.subarray(0, 16)).toString('hex')}` };
      },
      (k) => k === 'ECC_NIST_P256 private key',
    );
    expect(found.some((f) => f.path.includes('.event'))).toBe(true);
  });

  it('finds an RSA private key (PKCS#8) in an error message', () => {
    const found = planted(
      (r, s) => (r.error = { name: 'X', message: Buffer.from(s).toString('base64') }),
      (k) => k === 'RSA_2048 private key',
    );
    expect(found.some((f) => f.what.includes('PKCS#8'))).toBe(true);
  });

  it('does not flag a public key or a ciphertext', () => {
    const pubs = records
      .filter((r) => r.action === 'GetPublicKey' && !r.error)
      .map((r) => (r.output as { PublicKey: Uint8Array }).PublicKey);
    expect(pubs.length).toBeGreaterThan(0);
    const hay: Hay[] = [];
    pubs.forEach((p, i) => collect(p, `pub${i}`, hay));
    expect(scan(hay, needles)).toEqual([]);
  });
});
