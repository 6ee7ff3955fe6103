import { describe, expect, it } from 'vitest';
import {
  CryptoFailure,
  bytesEqual,
  concatBytes,
  fromBase64,
  fromHex,
  generateKeyPair,
  parseSpkiInfo,
  pem,
  randomBytes,
  toBase64,
  toHex,
} from '../../../src/engine/crypto';
import { ecdsaSigFromDer } from '../../../src/engine/crypto/der';
import { hex, loadVectors } from './wycheproof';

const text = (s: string) => new TextEncoder().encode(s);

describe('hex and base64', () => {
  it('base64 matches the RFC 4648 §10 test vectors both ways', () => {
    const vectors = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(toBase64(text(plain!))).toBe(b64);
      expect(fromBase64(b64!)).toEqual(text(plain!));
    }
  });

  it('base64 round-trips every byte value and agrees with Node Buffer', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let len = 0; len < 40; len++) {
      const b = concatBytes(all.subarray(256 - len), randomBytes(len));
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect(fromBase64(toBase64(b))).toEqual(b);
    }
  });

  it('fromBase64 throws on anything but canonical padded standard base64', () => {
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zh==', 'Zm9=', '=Zm9', 'Zm9v\n', 'Zm 9', 'Zm9-', 'Zm9_', 'Zg==Zg==', '====']) {
      expect(() => fromBase64(bad), bad).toThrow(TypeError);
    }
  });

  it('hex round-trips, accepts upper case, and throws on bad input', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff));
    for (const bad of ['0', 'zz', '0x00', ' 00']) expect(() => fromHex(bad), bad).toThrow(TypeError);
  });
});

describe('byte helpers', () => {
  it('bytesEqual compares content and length', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('concatBytes joins in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('randomBytes fills beyond the 65,536-byte getRandomValues limit and rejects bad sizes', () => {
    const big = randomBytes(200_000);
    expect(big.length).toBe(200_000);
    // Each 64 KiB chunk must be filled: no all-zero 1 KiB window anywhere (chance ~ 0 for real randomness).
    for (let i = 0; i < big.length; i += 1024) expect(big.subarray(i, i + 1024).some((b) => b !== 0)).toBe(true);
    expect(randomBytes(0).length).toBe(0);
    expect(bytesEqual(randomBytes(32), randomBytes(32))).toBe(false);
    expect(() => randomBytes(-1)).toThrow(RangeError);
    expect(() => randomBytes(1.5)).toThrow(RangeError);
  });
});

describe('pem', () => {
  it('wraps DER as RFC 7468 text with 64-character lines', async () => {
    const { publicKeySpki, privateKeyPkcs8 } = await generateKeyPair('ECC_NIST_P384');
    for (const [label, der] of [
      ['PUBLIC KEY', publicKeySpki],
      ['PRIVATE KEY', privateKeyPkcs8],
    ] as const) {
      const text = pem(label, der);
      const lines = text.split('\n');
      expect(lines[0]).toBe(`-----BEGIN ${label}-----`);
      expect(lines.at(-2)).toBe(`-----END ${label}-----`);
      expect(lines.at(-1)).toBe(''); // ends with a newline
      const body = lines.slice(1, -2);
      expect(body.slice(0, -1).every((l) => l.length === 64)).toBe(true);
      expect(body.at(-1)!.length).toBeGreaterThan(0);
      expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
      expect(fromBase64(body.join(''))).toEqual(der);
    }
  });

  it('matches the known PEM of a Wycheproof P-256 public key', () => {
    const der = fromHex(
      '3059301306072a8648ce3d020106082a8648ce3d0301070342000404aaec73635726f213fb8a9e64da3b8632e41495a944d0045b522eba7240fad587d9315798aaa3a5ba01775787ced05eaaf7b4e09fc81d6d1aa546e8365d525d',
    );
    expect(pem('PUBLIC KEY', der)).toBe(
      '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBKrsc2NXJvIT+4qeZNo7hjLkFJWp\nRNAEW1IuunJA+tWH2TFXmKqjpboBd1eHztBeqve04J/IHW0apUboNl1SXQ==\n-----END PUBLIC KEY-----\n',
    );
  });

  it('reproduces the publicKeyPem of every group in the Wycheproof ECDSA files', () => {
    let n = 0;
    for (const file of ['ecdsa_secp256r1_sha256_test.json', 'ecdsa_secp384r1_sha384_test.json']) {
      for (const group of loadVectors(file).testGroups) {
        expect(pem('PUBLIC KEY', hex(group, 'publicKeyDer'))).toBe(group.publicKeyPem);
        n++;
      }
    }
    expect(n).toBe(218);
  });
});

describe('DER strictness', () => {
  // SEQUENCE { INTEGER 1, INTEGER 2 } and variations a lenient BER parser would accept.
  it('accepts the minimal encoding and refuses BER variants', () => {
    expect(ecdsaSigFromDer(fromHex('3006020101020102'))).toEqual({ r: 1n, s: 2n });
    const bad = {
      'long-form short length': '308106020101020102',
      'indefinite length': '3080020101020102' + '0000',
      'trailing byte': '300602010102010200',
      'padded integer': '300702020001020102',
      'negative integer': '3006020181020102',
      'extra element': '3009020101020102020103',
      'one element': '3003020101',
      'wrong tag': '3106020101020102',
      truncated: '30060201010201',
    };
    for (const [what, h] of Object.entries(bad)) expect(() => ecdsaSigFromDer(fromHex(h)), what).toThrow(CryptoFailure);
  });

  it('parseSpkiInfo refuses garbage and truncated keys with CryptoFailure', async () => {
    const { publicKeySpki } = await generateKeyPair('ECC_NIST_P256');
    expect(() => parseSpkiInfo(randomBytes(91))).toThrow(CryptoFailure);
    expect(() => parseSpkiInfo(publicKeySpki.subarray(0, 60))).toThrow(CryptoFailure);
    expect(() => parseSpkiInfo(new Uint8Array(0))).toThrow(CryptoFailure);
  });
});
