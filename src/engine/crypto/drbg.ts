/**
 * A deterministic random bit generator for reproducible worlds (WorldOptions.reproducibleCrypto).
 *
 * Why it exists: a classroom link opens the same scenario, at the same step, with the same seed
 * in every student's browser, and the teacher wants every student to see the same key ids AND
 * the same ciphertexts, signatures and data keys. Ids already come from the world's seeded
 * generator; this makes the bytes repeat too. It is for teaching only: anyone who knows the seed
 * (it is in the link) can recompute every key. AWS KMS never does anything like this: its key
 * material comes from the HSMs' random number generators. Worlds without the option, which is
 * every world outside Classroom mode, keep using the CSPRNG.
 *
 * Construction: the ChaCha20 keystream (RFC 8439) under key = SHA-256("kms-lab reproducible
 * crypto v1|seed=<seed>"), nonce all zero, block counter from 0. The domain-separation string
 * keeps these keys apart from anything else derived from the same seed, and "v1" lets a later
 * change of construction be told apart. Byte i of the stream is byte i % 64 of block i / 64, so
 * the whole state is (seed, position): what a world snapshot saves.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';

const NONCE = new Uint8Array(12);
const BLOCK = 64;
/** ChaCha20's block counter is 32 bits (RFC 8439), so one key gives 2^32 blocks of 64 bytes. */
const MAX_POSITION = 2 ** 32 * BLOCK;

export interface DrbgState {
  seed: number;
  /** Bytes handed out so far. */
  position: number;
}

export function drbgKey(seed: number): Uint8Array {
  return sha256(new TextEncoder().encode(`kms-lab reproducible crypto v1|seed=${seed}`));
}

export class ChaChaDrbg {
  private readonly key: Uint8Array;
  private pos: number;

  constructor(
    readonly seed: number,
    position = 0,
  ) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`reproducible crypto needs a whole-number seed, got ${seed}`);
    this.key = drbgKey(seed);
    this.pos = 0;
    this.seek(position);
  }

  get position(): number {
    return this.pos;
  }

  /** Moves to a saved position (a restored world continues its stream from there). */
  seek(position: number): void {
    if (!Number.isSafeInteger(position) || position < 0 || position > MAX_POSITION)
      throw new RangeError(`reproducible crypto: bad stream position ${position}`);
    this.pos = position;
  }

  state(): DrbgState {
    return { seed: this.seed, position: this.pos };
  }

  /** The next `n` bytes of the stream. An arrow function, so it can be handed around as a RandomSource. */
  readonly bytes = (n: number): Uint8Array => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randomBytes: bad length ${n}`);
    if (this.pos + n > MAX_POSITION) throw new RangeError('reproducible crypto: the ChaCha20 stream is used up');
    const skip = this.pos % BLOCK;
    const keystream = chacha20(this.key, NONCE, new Uint8Array(skip + n), undefined, Math.floor(this.pos / BLOCK));
    this.pos += n;
    return keystream.slice(skip);
  };
}
