/**
 * Crypto that the caller does on its own machine, outside AWS: what an application does with
 * a plaintext data key, or with a public key downloaded by GetPublicKey. These steps never
 * reach the engine (no trace, no CloudTrail record), which is the point they teach.
 * The crypto itself comes from the engine's crypto module, the one place that calls
 * WebCrypto/noble.
 */
import { ESDK_LOCAL_OPS } from './local-esdk';
import { aesGcmDecrypt, aesGcmEncrypt, pem, rsaOaepEncrypt, verify, type AsymmetricSpec, type RandomSource } from '../engine/crypto';

export interface LocalOp {
  /** Input members, for the loader's checks. */
  members: readonly string[];
  required: readonly string[];
  /** One line for the page: what the caller does. */
  describe: string;
  /**
   * `random` is the scenario world's random source: the CSPRNG, or the seeded DRBG of a
   * reproducible world, so that a classroom link repeats the caller's IVs and messages too.
   */
  run(input: Record<string, unknown>, random: RandomSource): Promise<Record<string, unknown>>;
}

/** An error a local step can end with; `name` plays the part of an AWS error code. */
export class LocalError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function bytes(input: Record<string, unknown>, name: string): Uint8Array {
  const v = input[name];
  if (!(v instanceof Uint8Array)) throw new LocalError('ValidationError', `${name} must be bytes`);
  return v;
}

function optionalBytes(input: Record<string, unknown>, name: string): Uint8Array {
  return input[name] === undefined ? new Uint8Array(0) : bytes(input, name);
}

export const LOCAL_OPS: Record<string, LocalOp> = {
  'aes-gcm-encrypt': {
    members: ['key', 'plaintext', 'aad'],
    required: ['key', 'plaintext'],
    describe: 'AES-256-GCM encryption in your own code, with a fresh random 12-byte IV',
    async run(input, random) {
      const key = bytes(input, 'key');
      const iv = random(12);
      const ciphertext = await aesGcmEncrypt(key, iv, bytes(input, 'plaintext'), optionalBytes(input, 'aad'));
      return { iv, ciphertext };
    },
  },
  'aes-gcm-decrypt': {
    members: ['key', 'iv', 'ciphertext', 'aad'],
    required: ['key', 'iv', 'ciphertext'],
    describe: 'AES-256-GCM decryption in your own code',
    async run(input) {
      try {
        return {
          plaintext: await aesGcmDecrypt(bytes(input, 'key'), bytes(input, 'iv'), bytes(input, 'ciphertext'), optionalBytes(input, 'aad')),
        };
      } catch {
        throw new LocalError('AuthenticationFailed', 'the GCM tag did not verify: wrong key, IV, AAD or modified bytes');
      }
    },
  },
  'rsa-oaep-encrypt': {
    members: ['publicKey', 'plaintext', 'hash'],
    required: ['publicKey', 'plaintext', 'hash'],
    describe: 'RSA-OAEP encryption with the downloaded public key, in your own code (no AWS call)',
    async run(input, random) {
      const hash = input.hash;
      if (hash !== 'SHA-1' && hash !== 'SHA-256') throw new LocalError('ValidationError', 'hash must be SHA-1 or SHA-256');
      try {
        return { ciphertext: await rsaOaepEncrypt(bytes(input, 'publicKey'), hash, bytes(input, 'plaintext'), undefined, random) };
      } catch (e) {
        throw new LocalError('EncryptionFailed', e instanceof Error ? e.message : String(e));
      }
    },
  },
  'verify-signature': {
    members: ['publicKey', 'keySpec', 'algorithm', 'message', 'signature'],
    required: ['publicKey', 'keySpec', 'algorithm', 'message', 'signature'],
    describe: 'signature check with the downloaded public key, in your own code (no AWS call)',
    async run(input) {
      const valid = await verify(
        String(input.keySpec) as AsymmetricSpec,
        bytes(input, 'publicKey'),
        String(input.algorithm),
        bytes(input, 'message'),
        'RAW',
        bytes(input, 'signature'),
      );
      return { valid };
    },
  },
  'pem-encode': {
    members: ['der'],
    required: ['der'],
    describe: 'wraps DER public key bytes as PEM text, the form most tools (OpenSSL) read',
    async run(input) {
      return { pem: pem('PUBLIC KEY', bytes(input, 'der')) };
    },
  },
  ...ESDK_LOCAL_OPS,
};

export function isLocalOp(name: string): boolean {
  return Object.hasOwn(LOCAL_OPS, name);
}
