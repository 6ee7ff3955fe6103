/**
 * KMS prices (reference/aws-facts.md §2.13), with their source and date, and the cost of a run.
 * US prices; other Regions may differ and are not modelled.
 */
export const PRICING_SOURCE = {
  source: 'AWS Key Management Service pricing (stored copies of the AWS page, pre- and post-2024) and AWS Price List values',
  asOf: '2024–2026 (rotation pricing since the April/May 2024 change)',
  /** The request prices are secondary: AWS Price List values as captured by third-party cost tools. */
  requestPricesVerified: false,
};

/** Dollars per key-month; each of the first two rotations adds one more (at most $3 a month). */
export const KEY_MONTH_USD = 1;
export const MAX_PAID_ROTATIONS = 2;
/** Free tier: requests per month, all Regions together; asymmetric and key-pair requests excluded. */
export const FREE_TIER_REQUESTS = 20_000;
/** AWS prorates a month as 730 hours. */
export const MONTH_SECONDS = 730 * 3600;

export type PriceClass = 'symmetric' | 'rsa-2048' | 'asymmetric' | 'key-pair-ecc' | 'key-pair-rsa';

/** Dollars per 10,000 requests. */
export const PER_10K_USD: Record<PriceClass, number> = {
  symmetric: 0.03,
  'rsa-2048': 0.03,
  asymmetric: 0.15,
  'key-pair-ecc': 0.1,
  'key-pair-rsa': 12,
};

export const PRICE_LABEL: Record<PriceClass, string> = {
  symmetric: 'symmetric and other requests',
  'rsa-2048': 'RSA 2048 requests',
  asymmetric: 'other asymmetric requests',
  'key-pair-ecc': 'ECC GenerateDataKeyPair',
  'key-pair-rsa': 'RSA GenerateDataKeyPair',
};

const KEY_PAIR = new Set(['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']);

/**
 * The price class of one request. Management calls (DescribeKey, ...) are billed as ordinary
 * requests here (uncertain: the reference does not list them separately).
 */
export function priceClass(action: string, keySpec?: string, keyPairSpec?: string): PriceClass {
  if (KEY_PAIR.has(action)) return (keyPairSpec ?? 'RSA_2048').startsWith('RSA') ? 'key-pair-rsa' : 'key-pair-ecc';
  if (!keySpec || keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC')) return 'symmetric';
  if (keySpec === 'RSA_2048') return 'rsa-2048';
  return 'asymmetric';
}

/** Whether a request counts toward the free tier (symmetric and other non-asymmetric requests). */
export const inFreeTier = (c: PriceClass) => c === 'symmetric';

export interface CostInput {
  /** Billed requests by price class (requests that KMS accepted; see the note on throttled calls). */
  requests: Partial<Record<PriceClass, number>>;
  /** Seconds of virtual time the requests were made in. */
  seconds: number;
  /** Customer managed keys in use. */
  keys: number;
  /** Rotations each key has had (0, 1, 2, ...; only the first two cost extra). */
  rotationsPerKey?: number;
}

export interface Cost {
  /** The requests of the run alone, no free tier. */
  runRequestsUsd: number;
  /** The keys over the run's duration (prorated). */
  runKeysUsd: number;
  runUsd: number;
  /** A month (730 h) at the run's request rate, with the free tier taken off, plus the key-months. */
  monthRequestsUsd: number;
  monthKeysUsd: number;
  monthUsd: number;
  /** Requests per month at that rate. */
  monthRequests: number;
  byClass: { cls: PriceClass; requests: number; runUsd: number; monthUsd: number }[];
}

/**
 * The cost of a run and of a month at the same rate. Throttled requests are not billed here
 * (uncertain: AWS bills "requests"; we assume a rejected request is not one).
 */
export function kmsCost(input: CostInput): Cost {
  const scale = input.seconds > 0 ? MONTH_SECONDS / input.seconds : 0;
  let free = FREE_TIER_REQUESTS;
  const byClass: Cost['byClass'] = [];
  let runRequestsUsd = 0;
  let monthRequestsUsd = 0;
  let monthRequests = 0;
  for (const cls of Object.keys(PER_10K_USD) as PriceClass[]) {
    const n = input.requests[cls] ?? 0;
    if (!n) continue;
    const month = n * scale;
    let billable = month;
    if (inFreeTier(cls)) {
      const f = Math.min(free, billable);
      billable -= f;
      free -= f;
    }
    const runUsd = (n / 10_000) * PER_10K_USD[cls];
    const monthUsd = (billable / 10_000) * PER_10K_USD[cls];
    byClass.push({ cls, requests: n, runUsd, monthUsd });
    runRequestsUsd += runUsd;
    monthRequestsUsd += monthUsd;
    monthRequests += month;
  }
  const perKeyMonth = KEY_MONTH_USD * (1 + Math.min(MAX_PAID_ROTATIONS, input.rotationsPerKey ?? 0));
  const monthKeysUsd = input.keys * perKeyMonth;
  const runKeysUsd = (monthKeysUsd * input.seconds) / MONTH_SECONDS;
  return {
    runRequestsUsd,
    runKeysUsd,
    runUsd: runRequestsUsd + runKeysUsd,
    monthRequestsUsd,
    monthKeysUsd,
    monthUsd: monthRequestsUsd + monthKeysUsd,
    monthRequests,
    byClass,
  };
}
