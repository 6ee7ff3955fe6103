/**
 * Interop with the official AWS Encryption SDK for JavaScript (@aws-crypto/client-node, a dev
 * dependency used only here), both ways, with raw AES and raw RSA keyrings: every committing suite,
 * several frame lengths, an empty message and messages that end exactly on a frame boundary.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, generateKeyPairSync, randomBytes as nodeRandom } from 'node:crypto';
import {
  CommitmentPolicy as SdkPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  RawRsaKeyringNode,
  buildClient as sdkBuildClient,
} from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../../src/engine/crypto';
import { type Keyring, buildClient, rawAesKeyring, rawRsaKeyring } from '../../../src/engine/esdk';

const sdkStrict = sdkBuildClient(SdkPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const sdkLegacy = sdkBuildClient(SdkPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const labStrict = buildClient();
const labLegacy = buildClient('FORBID_ENCRYPT_ALLOW_DECRYPT');

const keyNamespace = 'kms-lab-interop';
const keyName = 'aes-256-wrapping';
const wrappingKey = new Uint8Array(nodeRandom(32));
const labAes = rawAesKeyring({ keyNamespace, keyName, wrappingKey });
// The SDK zeroes the key array it is given, hence the copy. utf8Sorting: the keyring's default
// (false) sorts the context with localeCompare for its wrapping AAD, the old bug (JS SDK issue 428)
// that breaks interop for keys such as emoji; the spec, every other SDK and kms-lab sort by UTF-8 bytes.
const sdkAes = new RawAesKeyringNode({
  keyNamespace,
  keyName,
  unencryptedMasterKey: wrappingKey.slice(),
  utf8Sorting: true,
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = {
  privateKeyPem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

const context = { purpose: 'interop', département: 'sécurité', '\u{1F511}': 'emoji key sorts by UTF-8 bytes' };
const bytes = (n: number) => new Uint8Array(nodeRandom(n));
const u8 = (b: Uint8Array | Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** [frame length, plaintext length]: empty, one byte, exactly one frame, exactly three frames, a partial last frame. */
const SHAPES: [number, number][] = [
  [4096, 0],
  [4096, 1],
  [4096, 4096],
  [4096, 3 * 4096],
  [4096, 10_000],
  [1, 0],
  [1, 5],
  [16, 32],
  [16, 100],
  [1024, 3000],
  [65_536, 65_536],
  [100_000, 250_000],
];

describe('interop with @aws-crypto/client-node, raw AES keyring', () => {
  for (const suiteId of [0x0478, 0x0578]) {
    for (const [frameLength, size] of SHAPES) {
      const name = `suite 0x0${suiteId.toString(16)}, frame ${frameLength}, ${size} bytes`;
      it(`kms-lab writes, the SDK reads: ${name}`, async () => {
        const plaintext = bytes(size);
        const { result } = await labStrict.encrypt(labAes, plaintext, { suiteId, frameLength, encryptionContext: context });
        const { plaintext: back, messageHeader } = await sdkStrict.decrypt(sdkAes, result);
        expect(bytesEqual(u8(back), plaintext)).toBe(true);
        expect(messageHeader.suiteId).toBe(suiteId);
        expect(messageHeader.frameLength).toBe(frameLength);
        for (const [k, v] of Object.entries(context)) expect(messageHeader.encryptionContext[k]).toBe(v);
      });
      it(`the SDK writes, kms-lab reads: ${name}`, async () => {
        const plaintext = bytes(size);
        const { result } = await sdkStrict.encrypt(sdkAes, plaintext, { suiteId, frameLength, encryptionContext: context });
        const { plaintext: back, messageHeader } = await labStrict.decrypt(labAes, u8(result));
        expect(bytesEqual(back, plaintext)).toBe(true);
        expect(messageHeader.suiteId).toBe(suiteId);
        expect(messageHeader.frameLength).toBe(frameLength);
        expect(messageHeader.version).toBe(2);
      });
    }
  }

  it("our messageHeader carries the SDK's MessageHeader fields with the same values", async () => {
    const { result, messageHeader: ours } = await labStrict.encrypt(labAes, bytes(5000), { encryptionContext: context });
    const { messageHeader: theirs } = await sdkStrict.decrypt(sdkAes, result);
    expect(ours.version).toBe(theirs.version);
    expect(ours.suiteId).toBe(theirs.suiteId);
    expect(bytesEqual(ours.messageId, u8(theirs.messageId))).toBe(true);
    expect(ours.encryptionContext).toEqual({ ...theirs.encryptionContext });
    expect(ours.contentType).toBe(theirs.contentType);
    expect(ours.frameLength).toBe(theirs.frameLength);
    if ('suiteData' in theirs) expect(bytesEqual(ours.suiteData!, u8(theirs.suiteData))).toBe(true);
    expect(ours.encryptedDataKeys.length).toBe(theirs.encryptedDataKeys.length);
    const [a, b] = [ours.encryptedDataKeys[0]!, theirs.encryptedDataKeys[0]!];
    expect(a.providerId).toBe(b.providerId);
    expect(a.providerInfo).toBe(b.providerInfo);
    expect(bytesEqual(a.encryptedDataKey, u8(b.encryptedDataKey))).toBe(true);
  });

  for (const suiteId of [0x0178, 0x0378, 0x0014]) {
    it(`non-committing suite 0x0${suiteId.toString(16)} both ways under FORBID_ENCRYPT_ALLOW_DECRYPT`, async () => {
      const plaintext = bytes(9000);
      const ours = await labLegacy.encrypt(labAes, plaintext, { suiteId, frameLength: 4096, encryptionContext: context });
      expect(bytesEqual(u8((await sdkLegacy.decrypt(sdkAes, ours.result)).plaintext), plaintext)).toBe(true);
      const theirs = await sdkLegacy.encrypt(sdkAes, plaintext, { suiteId, frameLength: 4096, encryptionContext: context });
      expect(bytesEqual((await labLegacy.decrypt(labAes, u8(theirs.result))).plaintext, plaintext)).toBe(true);
    });
  }
});

describe('interop with @aws-crypto/client-node, raw RSA keyring', () => {
  const paddings = [
    ['pkcs1', constants.RSA_PKCS1_PADDING, undefined],
    ['oaep-sha1', constants.RSA_PKCS1_OAEP_PADDING, 'sha1'],
    ['oaep-sha256', constants.RSA_PKCS1_OAEP_PADDING, 'sha256'],
    ['oaep-sha384', constants.RSA_PKCS1_OAEP_PADDING, 'sha384'],
    ['oaep-sha512', constants.RSA_PKCS1_OAEP_PADDING, 'sha512'],
  ] as const;
  for (const [padding, nodePadding, oaepHash] of paddings) {
    it(`${padding}, both ways`, async () => {
      const lab = rawRsaKeyring({ keyNamespace, keyName: 'rsa-2048', padding, ...rsaPem });
      const sdk = new RawRsaKeyringNode({
        keyNamespace,
        keyName: 'rsa-2048',
        rsaKey: { privateKey: rsaPem.privateKeyPem, publicKey: rsaPem.publicKeyPem },
        padding: nodePadding,
        ...(oaepHash ? { oaepHash } : {}),
      });
      const plaintext = bytes(5000);
      const ours = await labStrict.encrypt(lab, plaintext, { encryptionContext: context });
      if (padding === 'pkcs1') {
        // Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809), so the SDK cannot open
        // this EDK here; the OpenSSL CLI unwraps it instead and the data key opens our message.
        const dir = mkdtempSync(join(tmpdir(), 'esdk-pkcs1-'));
        writeFileSync(join(dir, 'key.pem'), rsaPem.privateKeyPem);
        writeFileSync(join(dir, 'edk'), ours.messageHeader.encryptedDataKeys[0]!.encryptedDataKey);
        const dataKey = new Uint8Array(
          execFileSync('openssl', [
            'pkeyutl',
            '-decrypt',
            '-inkey',
            join(dir, 'key.pem'),
            '-pkeyopt',
            'rsa_padding_mode:pkcs1',
            '-in',
            join(dir, 'edk'),
          ]),
        );
        rmSync(dir, { recursive: true });
        const known: Keyring = {
          onEncrypt: () => Promise.reject(new Error('decrypt only')),
          onDecrypt: async (m) => ({ ...m, plaintextDataKey: dataKey }),
        };
        expect(bytesEqual((await labStrict.decrypt(known, ours.result)).plaintext, plaintext)).toBe(true);
      } else {
        expect(bytesEqual(u8((await sdkStrict.decrypt(sdk, ours.result)).plaintext), plaintext)).toBe(true);
      }
      const theirs = await sdkStrict.encrypt(sdk, plaintext, { encryptionContext: context });
      expect(bytesEqual((await labStrict.decrypt(lab, u8(theirs.result))).plaintext, plaintext)).toBe(true);
    });
  }
});
