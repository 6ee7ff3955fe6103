/**
 * Every offline-decryptable message in ../shared/vectors/esdk decrypts to its expected plaintext,
 * every negative one fails, and the KMS-only ones are counted as skipped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bytesEqual, fromBase64 } from '../../../src/engine/crypto';
import { type Keyring, decrypt, getSuite } from '../../../src/engine/esdk';
import { type KeyEntry, NeedsKms, type Scenario, buildKeyring, readBytes, readJson } from './vectors';

const tally = { decrypted: 0, negativeFailed: 0, skippedKms: 0 };
afterAll(() => {
  console.log(
    `ESDK vectors: ${tally.decrypted} decrypted, ${tally.negativeFailed} negative failed as expected, ${tally.skippedKms} skipped (need AWS KMS)`,
  );
});

/** The reason each derived negative must fail for, recognised in its description. */
const EXPECTED_REASON: [RegExp, RegExp][] = [
  [/signature stripping/, /aws-crypto-public-key|Header authentication/],
  [/header authentication fails/, /Header authentication failed/],
  [/frames out of order/, /out of order/],
  [/truncated message/, /Truncated message/],
  [/fails AES-GCM authentication/, /failed authentication/],
  [/signature does not verify/, /signature is invalid/],
  [/cannot be unwrapped|no encrypted data key/, /Unable to decrypt data key/],
  [/commitment mismatch/, /commitment/i],
  [/required encryption context key .* missing/, /Required encryption context key/],
  [/authenticated-only/, /Unable to decrypt data key|Header authentication/],
  [/contradicts/, /Encryption context mismatch/],
];

const MANIFESTS = ['dafny-decrypt-v5', 'dafny-decrypt-v5-more', 'dafny-decrypt-v5-more/derived-negatives'];

for (const dir of MANIFESTS) {
  const manifest = readJson<{ keys: string; tests: Record<string, { 'decryption-scenario': Scenario }> }>(dir, 'decrypt-manifest.json');
  const keys = readJson<{ keys: Record<string, KeyEntry> }>(dir, manifest.keys.replace('file://', '')).keys;
  describe(`ESDK vectors: ${dir}`, () => {
    for (const [id, { 'decryption-scenario': s }] of Object.entries(manifest.tests)) {
      it(`${s.type} ${s.algorithmSuiteId} ${s.description} (${id})`, async () => {
        let keyring;
        try {
          keyring = buildKeyring(s.decryptKeyDescription, keys);
        } catch (e) {
          if (e instanceof NeedsKms) {
            tally.skippedKms++;
            return;
          }
          throw e;
        }
        const ct = readBytes(dir, s.ciphertext.replace('file://', ''));
        const options = { encryptionContext: s['reproduced-encryption-context'] ?? {} };
        if (s.type === 'positive-esdk') {
          const { plaintext, messageHeader } = await decrypt(keyring, ct, options);
          expect(messageHeader.suiteId).toBe(parseInt(s.algorithmSuiteId, 16));
          expect(bytesEqual(plaintext, readBytes(dir, s.result!.replace('file://', '')))).toBe(true);
          tally.decrypted++;
        } else {
          const err = await decrypt(keyring, ct, options).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err, s['error-description']).toBeInstanceOf(Error);
          const reason = EXPECTED_REASON.find(([d]) => d.test(s['error-description'] ?? ''));
          expect(reason, `no expected reason for: ${s['error-description']}`).toBeDefined();
          expect((err as Error).message).toMatch(reason![1]);
          tally.negativeFailed++;
        }
      });
    }
  });
}

/** A keyring that knows the plaintext data key already (the vectors spell it out). */
function staticKeyring(dataKey: (suiteKeyLength: number) => Uint8Array): Keyring {
  return {
    onEncrypt: () => Promise.reject(new Error('decrypt only')),
    onDecrypt: async (m) => ({ ...m, plaintextDataKey: dataKey(m.suite.keyLength) }),
  };
}

describe('ESDK vectors: python-commitment-v2', () => {
  const { tests } = readJson<{ tests: Record<string, unknown>[] }>('python-commitment-v2', 'commitment-test-vectors.json');
  for (const t of tests) {
    it(`${t.status ? 'positive' : 'negative'}: ${String(t.comment)}`, async () => {
      const keyring = staticKeyring(() => fromBase64(t['decrypted-dek'] as string));
      const ct = fromBase64(t.ciphertext as string);
      const context = t['encryption-context'] as Record<string, string>;
      if (t.status) {
        const { plaintext, messageHeader } = await decrypt(keyring, ct);
        expect(new TextDecoder().decode(plaintext)).toBe((t['plaintext-frames'] as string[]).join(''));
        expect(bytesEqual(messageHeader.suiteData!, fromBase64(t.commitment as string))).toBe(true);
        for (const [k, v] of Object.entries(context)) expect(messageHeader.encryptionContext[k]).toBe(v);
        tally.decrypted++;
      } else {
        await expect(decrypt(keyring, ct)).rejects.toThrow(/commitment/i);
        tally.negativeFailed++;
      }
    });
  }
});

describe('ESDK vectors: python-decrypt-oracle-v1', () => {
  const vectors = readJson<{ 'key-type': string; 'algorithm-suite': string; ciphertext: string; plaintext: string }[]>(
    'python-decrypt-oracle-v1',
    'decrypt_vectors.json',
  );
  for (const [i, v] of vectors.entries()) {
    it(`${v['key-type']} ${v['algorithm-suite']} #${i}`, async () => {
      if (v['key-type'] === 'aws-kms') {
        tally.skippedKms++;
        return;
      }
      const len = getSuite(parseInt(v['algorithm-suite'], 16)).keyLength;
      const dk = v['key-type'] === 'null' ? new Uint8Array(len) : Uint8Array.from({ length: len }, (_, j) => j + 1);
      const { plaintext } = await decrypt(
        staticKeyring(() => dk),
        fromBase64(v.ciphertext),
      );
      expect(bytesEqual(plaintext, fromBase64(v.plaintext))).toBe(true);
      tally.decrypted++;
    });
  }
});
