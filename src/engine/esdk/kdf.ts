/** Per-message key derivation (framework/transitive-requirements.md, algorithm-suites.md). */
import { concatBytes, hkdf } from '../crypto';
import { u16 } from './serialize';
import type { AlgorithmSuite } from './suites';

const DERIVEKEY = new TextEncoder().encode('DERIVEKEY');
const COMMITKEY = new TextEncoder().encode('COMMITKEY');
const HASH_LENGTH = { 'SHA-224': 28, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 } as const;

export interface DerivedKeys {
  /** The AES-GCM key for the header tag and every frame. */
  key: Uint8Array;
  /** Committing suites: the value stored as the header's suite data. */
  commitKey?: Uint8Array;
}

export async function deriveKeys(suite: AlgorithmSuite, dataKey: Uint8Array, messageId: Uint8Array): Promise<DerivedKeys> {
  if (dataKey.length !== suite.keyLength) throw new Error(`The data key is ${dataKey.length} bytes; suite needs ${suite.keyLength}`);
  if (!suite.kdf) return { key: dataKey };
  if (!suite.commitment) {
    // Salt: hash-length zero bytes (the same as no salt); info: suite ID || message ID.
    const key = await hkdf(
      suite.kdf,
      dataKey,
      new Uint8Array(HASH_LENGTH[suite.kdf]),
      concatBytes(u16(suite.id), messageId),
      suite.keyLength,
    );
    return { key };
  }
  const [key, commitKey] = await Promise.all([
    hkdf(suite.kdf, dataKey, messageId, concatBytes(u16(suite.id), DERIVEKEY), suite.keyLength),
    hkdf(suite.kdf, dataKey, messageId, COMMITKEY, 32),
  ]);
  return { key, commitKey };
}
