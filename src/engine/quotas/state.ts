/**
 * The quota state of a world: one bucket per account, Region and quota (aws-facts.md §1.1:
 * quotas are per account and Region; a cross-account call counts against the caller's account).
 * The sandbox (World.call) and the load simulator both use this, so there is one implementation
 * of the quota rules.
 */
import { TokenBucket, type BucketState } from './bucket';
import { quotaFor, type QuotaQuery, type QuotaRef } from './families';
import type { QuotaPreset } from './tables';

export interface QuotaOptions {
  /** Whether quotas are enforced at all (default true). */
  enforce?: boolean;
  /** Which table of default values (default 'current'). */
  preset?: QuotaPreset;
  /**
   * Raised quotas (a granted quota increase): requests per second by quota id
   * ('symmetric', 'rsa', 'op:CreateKey', ...), for every account and Region.
   */
  overrides?: Record<string, number>;
}

export interface QuotaDecision {
  quota: QuotaRef;
  allowed: boolean;
  /** Tokens left in the current window after this request. */
  remaining: number;
}

export interface QuotaSnapshot {
  enforce: boolean;
  preset: QuotaPreset;
  overrides: Record<string, number>;
  buckets: [string, BucketState][];
}

export class QuotaBook {
  enforce: boolean;
  preset: QuotaPreset;
  overrides: Record<string, number>;
  private buckets = new Map<string, TokenBucket>();

  constructor(options: QuotaOptions = {}) {
    this.enforce = options.enforce ?? true;
    this.preset = options.preset ?? 'current';
    this.overrides = { ...(options.overrides ?? {}) };
  }

  /** The quota a request counts against, with any raised value applied. */
  quota(q: QuotaQuery): QuotaRef | undefined {
    const ref = quotaFor(this.preset, q);
    if (!ref) return undefined;
    const raised = this.overrides[ref.id];
    return raised !== undefined && raised > 0 ? { ...ref, perSecond: raised } : ref;
  }

  /** Changes the preset or a raised value; buckets start afresh with the new rates. */
  configure(options: QuotaOptions): void {
    if (options.enforce !== undefined) this.enforce = options.enforce;
    if (options.preset !== undefined) this.preset = options.preset;
    if (options.overrides !== undefined) this.overrides = { ...options.overrides };
    this.buckets.clear();
  }

  private bucket(account: string, region: string, quota: QuotaRef): TokenBucket {
    const key = `${account}/${region}/${quota.id}`;
    let b = this.buckets.get(key);
    if (!b || b.perSecond !== quota.perSecond) {
      b = new TokenBucket(quota.perSecond);
      this.buckets.set(key, b);
    }
    return b;
  }

  /**
   * Counts one request at virtual time `nowMs` against the caller's account and Region.
   * Undefined when the action has no request quota or enforcement is off.
   */
  check(account: string, region: string, q: QuotaQuery, nowMs: number): QuotaDecision | undefined {
    if (!this.enforce) return undefined;
    const quota = this.quota({ ...q, region });
    if (!quota) return undefined;
    const b = this.bucket(account, region, quota);
    const allowed = b.take(nowMs);
    return { quota, allowed, remaining: Math.floor(b.available(nowMs)) };
  }

  snapshot(): QuotaSnapshot {
    return {
      enforce: this.enforce,
      preset: this.preset,
      overrides: { ...this.overrides },
      buckets: [...this.buckets].map(([k, b]) => [k, b.state()]),
    };
  }

  static restore(s: QuotaSnapshot): QuotaBook {
    const book = new QuotaBook({ enforce: s.enforce, preset: s.preset, overrides: s.overrides });
    for (const [key, st] of s.buckets) {
      const [account, region, ...rest] = key.split('/');
      const id = rest.join('/');
      // Rebuild the bucket with the rate its quota has now, then put back its tokens.
      const perSecond = book.overrides[id] ?? rateOfId(book.preset, id, region!);
      if (perSecond === undefined) continue;
      const b = new TokenBucket(perSecond);
      b.restore(st);
      book.buckets.set(`${account}/${region}/${id}`, b);
    }
    return book;
  }
}

function rateOfId(preset: QuotaPreset, id: string, region: string): number | undefined {
  if (id === 'symmetric') return quotaFor(preset, { action: 'Encrypt', region })?.perSecond;
  if (id === 'rsa') return quotaFor(preset, { action: 'Sign', region, keySpec: 'RSA_2048' })?.perSecond;
  if (id === 'ecc') return quotaFor(preset, { action: 'Sign', region, keySpec: 'ECC_NIST_P256' })?.perSecond;
  if (id === 'ml-dsa') return quotaFor(preset, { action: 'Sign', region, keySpec: 'ML_DSA_44' })?.perSecond;
  if (id.startsWith('key-pair:')) return quotaFor(preset, { action: 'GenerateDataKeyPair', region, keyPairSpec: id.slice(9) })?.perSecond;
  if (id.startsWith('op:')) return quotaFor(preset, { action: id.slice(3), region })?.perSecond;
  return undefined;
}

/** AWS's ThrottlingException message (aws-facts.md §1.4, kms-api.md §1). */
export const THROTTLING_MESSAGE = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';
