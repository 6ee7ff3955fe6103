/**
 * Cryptographic materials managers: the default CMM (keyring + signing key + policy), the
 * required-encryption-context CMM, and the caching CMM with its local LRU cache.
 */
import { concatBytes, digest, ecSpkiFromPoint, fromBase64, generateEcKeyPairCompressed, randomBytes, toBase64, toHex } from '../crypto';
import { PUBLIC_KEY_KEY, RESERVED_PREFIX, serializeEncryptionContext, u16 } from './serialize';
import { type AlgorithmSuite, checkEncryptSuite, defaultSuite, getSuite, hexId } from './suites';
import {
  type CMM,
  type DecryptionMaterials,
  type DecryptionRequest,
  type EncryptedDataKey,
  type EncryptionContext,
  type EncryptionMaterials,
  type EncryptionRequest,
  type Keyring,
  isCmm,
} from './types';

export function toCmm(x: CMM | Keyring): CMM {
  return isCmm(x) ? x : new DefaultCMM(x);
}

function describeEdks(edks: EncryptedDataKey[]): string {
  return edks.map((e, i) => `#${i + 1} ${e.providerId}${e.providerId === 'aws-kms' ? ' ' + e.providerInfo : ''}`).join(', ');
}

/** framework/default-cmm.md. */
export class DefaultCMM implements CMM {
  constructor(readonly keyring: Keyring) {}

  async getEncryptionMaterials(req: EncryptionRequest): Promise<EncryptionMaterials> {
    const suite = req.suiteId !== undefined ? getSuite(req.suiteId) : defaultSuite(req.commitmentPolicy);
    checkEncryptSuite(req.commitmentPolicy, suite);
    for (const k of Object.keys(req.encryptionContext))
      if (k.startsWith(RESERVED_PREFIX))
        throw new Error(`Encryption context key "${k}" is reserved: keys starting with "${RESERVED_PREFIX}" belong to the SDK`);
    const encryptionContext = { ...req.encryptionContext };
    let signingKey: Uint8Array | undefined;
    if (suite.signature) {
      const pair = generateEcKeyPairCompressed(suite.signature.curve, req.random);
      signingKey = pair.privateKeyPkcs8;
      encryptionContext[PUBLIC_KEY_KEY] = toBase64(pair.publicKeyCompressed);
    }
    const m = await this.keyring.onEncrypt({
      suite,
      encryptionContext,
      encryptedDataKeys: [],
      signingKey,
      requiredEncryptionContextKeys: [],
      ...(req.random ? { random: req.random } : {}),
    });
    if (!m.plaintextDataKey) throw new Error('The keyring returned no data key');
    if (m.plaintextDataKey.length !== suite.keyLength)
      throw new Error(
        `The keyring returned a ${m.plaintextDataKey.length}-byte data key; suite ${hexId(suite.id)} needs ${suite.keyLength}`,
      );
    if (m.encryptedDataKeys.length === 0) throw new Error('The keyring returned no encrypted data key');
    return m;
  }

  async decryptMaterials(req: DecryptionRequest): Promise<DecryptionMaterials> {
    const { suite } = req;
    const encryptionContext: EncryptionContext = { ...req.encryptionContext };
    const requiredEncryptionContextKeys: string[] = [];
    for (const [k, v] of Object.entries(req.reproducedEncryptionContext ?? {})) {
      if (k in req.encryptionContext) {
        if (req.encryptionContext[k] !== v)
          throw new Error(
            `Encryption context mismatch: the message stores ${k}="${req.encryptionContext[k]}" but decrypt was given ${k}="${v}"`,
          );
      } else {
        // Pairs the caller supplies that the header does not store are authenticated-only pairs
        // (the Material Providers default CMM). UNCERTAIN: the JS SDK 4.x only compares the pairs it
        // is given with the stored ones; with an extra pair it may not fail the way this does.
        encryptionContext[k] = v;
        requiredEncryptionContextKeys.push(k);
      }
    }
    let verificationKey: Uint8Array | undefined;
    const pub = req.encryptionContext[PUBLIC_KEY_KEY];
    if (suite.signature) {
      if (pub === undefined)
        throw new Error(`Suite ${hexId(suite.id)} signs its messages, but the encryption context has no ${PUBLIC_KEY_KEY}`);
      let point: Uint8Array;
      try {
        point = fromBase64(pub);
      } catch {
        throw new Error(`${PUBLIC_KEY_KEY} in the encryption context is not base64`);
      }
      try {
        verificationKey = ecSpkiFromPoint(suite.signature.curve, point);
      } catch {
        throw new Error(`${PUBLIC_KEY_KEY} in the encryption context is not a ${suite.signature.curve} public key`);
      }
    } else if (pub !== undefined) {
      // UNCERTAIN: the spec requires the key for signing suites; refusing it for unsigned ones is
      // our reading of "signature stripping" protection (the vectors' derived negative fails either way).
      throw new Error(
        `The encryption context holds ${PUBLIC_KEY_KEY}, but suite ${hexId(suite.id)} does not sign: refusing a message whose signature may have been stripped`,
      );
    }
    const m = await this.keyring.onDecrypt(
      { suite, encryptionContext, verificationKey, requiredEncryptionContextKeys, attempts: [] },
      req.encryptedDataKeys,
    );
    if (!m.plaintextDataKey) {
      const why = m.attempts?.length
        ? ` Attempts: ${m.attempts.join('; ')}.`
        : ' No encrypted data key matched this keyring (provider ID / key name / key ARN).';
      throw new Error(
        `Unable to decrypt data key: none of the message's ${req.encryptedDataKeys.length} encrypted data keys (${describeEdks(req.encryptedDataKeys)}) could be unwrapped.${why}`,
      );
    }
    return m;
  }
}

// ---- required encryption context ----

export interface RequiredEncryptionContextCmmOptions {
  underlying: CMM | Keyring;
  requiredEncryptionContextKeys: string[];
}

/**
 * The listed keys must be in the context on encrypt; their pairs are authenticated but not stored
 * in the header, so decrypt must be given them again (framework/required-encryption-context-cmm.md).
 */
export class RequiredEncryptionContextCMM implements CMM {
  private readonly underlying: CMM;
  readonly requiredEncryptionContextKeys: string[];
  constructor({ underlying, requiredEncryptionContextKeys }: RequiredEncryptionContextCmmOptions) {
    this.underlying = toCmm(underlying);
    this.requiredEncryptionContextKeys = [...requiredEncryptionContextKeys];
  }

  async getEncryptionMaterials(req: EncryptionRequest): Promise<EncryptionMaterials> {
    for (const k of this.requiredEncryptionContextKeys)
      if (!(k in req.encryptionContext)) throw new Error(`Required encryption context key "${k}" is missing from the encryption context`);
    const m = await this.underlying.getEncryptionMaterials(req);
    return {
      ...m,
      requiredEncryptionContextKeys: [...new Set([...m.requiredEncryptionContextKeys, ...this.requiredEncryptionContextKeys])],
    };
  }

  async decryptMaterials(req: DecryptionRequest): Promise<DecryptionMaterials> {
    for (const k of this.requiredEncryptionContextKeys)
      if (!(k in (req.reproducedEncryptionContext ?? {})))
        throw new Error(`Required encryption context key "${k}" is missing from the encryption context given to decrypt`);
    return this.underlying.decryptMaterials(req);
  }
}

export function requiredEncryptionContextCmm(options: RequiredEncryptionContextCmmOptions): RequiredEncryptionContextCMM {
  return new RequiredEncryptionContextCMM(options);
}

// ---- caching ----

export interface CacheEntry<M> {
  materials: M;
  /** ms, from the CMM's clock. */
  created: number;
  messagesEncrypted: number;
  bytesEncrypted: number;
}

/** A least-recently-used cache of materials (framework/local-cryptographic-materials-cache.md). */
export class LocalCryptographicMaterialsCache {
  private entries = new Map<string, CacheEntry<EncryptionMaterials | DecryptionMaterials>>();
  constructor(readonly capacity = 1000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`Cache capacity must be a positive integer, got ${capacity}`);
  }
  get size(): number {
    return this.entries.size;
  }
  get(id: string): CacheEntry<EncryptionMaterials | DecryptionMaterials> | undefined {
    const e = this.entries.get(id);
    if (e) {
      this.entries.delete(id);
      this.entries.set(id, e);
    }
    return e;
  }
  put(id: string, entry: CacheEntry<EncryptionMaterials | DecryptionMaterials>): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
  delete(id: string): void {
    this.entries.delete(id);
  }
  clear(): void {
    this.entries.clear();
  }
}

export function getLocalCryptographicMaterialsCache(capacity = 1000): LocalCryptographicMaterialsCache {
  return new LocalCryptographicMaterialsCache(capacity);
}

export interface CachingCmmOptions {
  backingMaterials: CMM | Keyring;
  cache: LocalCryptographicMaterialsCache;
  /**
   * Seconds an entry may be used after it was made. (The JS SDK takes milliseconds; every other
   * SDK, and this simulator, seconds.)
   */
  maxAge: number;
  /** Default 2^32. */
  maxMessagesEncrypted?: number;
  /** Default Number.MAX_SAFE_INTEGER (the JS SDK's cap). */
  maxBytesEncrypted?: number;
  /** Entries are shared only between caching CMMs with the same partition. Default: random. */
  partition?: string;
  /** Milliseconds now; give the world's virtual clock here. Default Date.now. */
  now?: () => number;
}

export interface CachingStats {
  encryptHits: number;
  encryptMisses: number;
  /** Requests that could not use the cache (unknown length, identity-KDF suite, over the byte limit). */
  encryptBypassed: number;
  decryptHits: number;
  decryptMisses: number;
}

/** Identity-KDF suites are never cached: one data key would be the AES key of many messages. */
function cacheSafe(suite: AlgorithmSuite): boolean {
  return suite.kdf !== undefined;
}

function cloneEncryption(m: EncryptionMaterials): EncryptionMaterials {
  return {
    ...m,
    plaintextDataKey: m.plaintextDataKey?.slice(),
    encryptedDataKeys: [...m.encryptedDataKeys],
    encryptionContext: { ...m.encryptionContext },
  };
}
function cloneDecryption(m: DecryptionMaterials): DecryptionMaterials {
  return { ...m, plaintextDataKey: m.plaintextDataKey?.slice(), encryptionContext: { ...m.encryptionContext } };
}

const sha512 = (b: Uint8Array) => digest('SHA-512', b);
const utf8 = new TextEncoder();

/**
 * framework/caching-cmm.md. Reuses a data key for up to maxMessagesEncrypted messages,
 * maxBytesEncrypted bytes and maxAge seconds, saving calls to the keyring (and to KMS).
 * Cache IDs follow the classic SDKs' formulas (SHA-512 over partition, suite and context).
 */
export class CachingCMM implements CMM {
  private readonly backing: CMM;
  readonly cache: LocalCryptographicMaterialsCache;
  readonly maxAgeMs: number;
  readonly maxMessagesEncrypted: number;
  readonly maxBytesEncrypted: number;
  readonly partition: string;
  private readonly now: () => number;
  readonly stats: CachingStats = { encryptHits: 0, encryptMisses: 0, encryptBypassed: 0, decryptHits: 0, decryptMisses: 0 };

  constructor(o: CachingCmmOptions) {
    if (!(o.maxAge > 0)) throw new Error(`maxAge must be greater than 0 seconds, got ${o.maxAge}`);
    const maxMessages = o.maxMessagesEncrypted ?? 2 ** 32;
    if (!Number.isSafeInteger(maxMessages) || maxMessages < 1 || maxMessages > 2 ** 32)
      throw new Error(`maxMessagesEncrypted must be an integer from 1 to 2^32, got ${maxMessages}`);
    const maxBytes = o.maxBytesEncrypted ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
      throw new Error(`maxBytesEncrypted must be an integer from 0 to 2^53-1, got ${maxBytes}`);
    this.backing = toCmm(o.backingMaterials);
    this.cache = o.cache;
    this.maxAgeMs = o.maxAge * 1000;
    this.maxMessagesEncrypted = maxMessages;
    this.maxBytesEncrypted = maxBytes;
    this.partition = o.partition ?? toHex(randomBytes(16));
    this.now = o.now ?? Date.now;
  }

  private async encryptId(req: EncryptionRequest): Promise<string> {
    const suitePart = req.suiteId === undefined ? Uint8Array.of(0) : concatBytes(Uint8Array.of(1), u16(req.suiteId));
    return toHex(
      await sha512(
        concatBytes(await sha512(utf8.encode(this.partition)), suitePart, await sha512(serializeEncryptionContext(req.encryptionContext))),
      ),
    );
  }

  private async decryptId(req: DecryptionRequest): Promise<string> {
    const edkHashes = await Promise.all(
      req.encryptedDataKeys.map((e) => {
        const id = utf8.encode(e.providerId);
        return sha512(
          concatBytes(u16(id.length), id, u16(e.rawInfo.length), e.rawInfo, u16(e.encryptedDataKey.length), e.encryptedDataKey),
        );
      }),
    );
    edkHashes.sort((a, b) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return 0;
    });
    // Reproduced pairs change the materials (authenticated-only keys), so they are part of the ID.
    // (Our choice: the classic formula predates reproduced contexts.)
    const ctx = { ...req.encryptionContext, ...(req.reproducedEncryptionContext ?? {}) };
    return toHex(
      await sha512(
        concatBytes(
          await sha512(utf8.encode(this.partition)),
          u16(req.suite.id),
          ...edkHashes,
          new Uint8Array(64),
          await sha512(serializeEncryptionContext(ctx)),
        ),
      ),
    );
  }

  private expired(e: CacheEntry<unknown>): boolean {
    return this.now() - e.created > this.maxAgeMs;
  }

  async getEncryptionMaterials(req: EncryptionRequest): Promise<EncryptionMaterials> {
    const length = req.plaintextLength;
    if (length === undefined || (req.suiteId !== undefined && !cacheSafe(getSuite(req.suiteId)))) {
      this.stats.encryptBypassed++;
      return this.backing.getEncryptionMaterials(req);
    }
    const id = await this.encryptId(req);
    const entry = this.cache.get(id) as CacheEntry<EncryptionMaterials> | undefined;
    if (entry) {
      if (this.expired(entry)) this.cache.delete(id);
      else {
        entry.messagesEncrypted += 1;
        entry.bytesEncrypted += length;
        if (entry.messagesEncrypted <= this.maxMessagesEncrypted && entry.bytesEncrypted <= this.maxBytesEncrypted) {
          this.stats.encryptHits++;
          return cloneEncryption(entry.materials);
        }
        this.cache.delete(id);
      }
    }
    this.stats.encryptMisses++;
    // The materials may serve many messages, so the backing CMM is not told this one's length.
    const m = await this.backing.getEncryptionMaterials({ ...req, plaintextLength: undefined });
    // First use of a fresh data key is exempt from the byte limit, but such a key is not cached.
    if (cacheSafe(m.suite) && length <= this.maxBytesEncrypted)
      this.cache.put(id, { materials: cloneEncryption(m), created: this.now(), messagesEncrypted: 1, bytesEncrypted: length });
    return m;
  }

  async decryptMaterials(req: DecryptionRequest): Promise<DecryptionMaterials> {
    if (!cacheSafe(req.suite)) return this.backing.decryptMaterials(req);
    const id = await this.decryptId(req);
    const entry = this.cache.get(id) as CacheEntry<DecryptionMaterials> | undefined;
    if (entry && !this.expired(entry)) {
      this.stats.decryptHits++;
      return cloneDecryption(entry.materials);
    }
    if (entry) this.cache.delete(id);
    this.stats.decryptMisses++;
    const m = await this.backing.decryptMaterials(req);
    this.cache.put(id, { materials: cloneDecryption(m), created: this.now(), messagesEncrypted: 0, bytesEncrypted: 0 });
    return m;
  }
}

export function cachingCmm(options: CachingCmmOptions): CachingCMM {
  return new CachingCMM(options);
}

// ---- pre-made materials ----

/**
 * A CMM that hands out materials obtained earlier (by another CMM, maybe in another thread).
 * The lab asks KMS for the data key on the page, where the simulated world lives, and streams the
 * bytes in a Web Worker with this CMM. Each materials object is handed out once and then zeroed.
 */
export function materialsCmm(materials: { encrypt?: EncryptionMaterials; decrypt?: DecryptionMaterials }): CMM {
  return {
    async getEncryptionMaterials(req) {
      const m = materials.encrypt;
      if (!m) throw new Error('No encryption materials were supplied');
      if (req.suiteId !== undefined && req.suiteId !== m.suite.id)
        throw new Error(`The materials are for suite ${hexId(m.suite.id)}, not ${hexId(req.suiteId)}`);
      for (const [k, v] of Object.entries(req.encryptionContext))
        if (m.encryptionContext[k] !== v) throw new Error(`The materials were made for a different encryption context (${k})`);
      materials.encrypt = undefined;
      return { ...m, suite: getSuite(m.suite.id) };
    },
    async decryptMaterials(req) {
      const m = materials.decrypt;
      if (!m) throw new Error('No decryption materials were supplied');
      if (req.suite.id !== m.suite.id)
        throw new Error(`The materials are for suite ${hexId(m.suite.id)}, the message uses ${hexId(req.suite.id)}`);
      materials.decrypt = undefined;
      return { ...m, suite: getSuite(m.suite.id) };
    },
  };
}
