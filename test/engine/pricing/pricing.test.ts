import { describe, expect, it } from 'vitest';
import { kmsCost, MONTH_SECONDS, priceClass } from '../../../src/engine/pricing';

describe('KMS cost formula (aws-facts.md §2.13)', () => {
  it('$0.03 per 10,000 symmetric requests; the free tier comes off the month only', () => {
    const c = kmsCost({ requests: { symmetric: 1_000_000 }, seconds: MONTH_SECONDS, keys: 0 });
    expect(c.runRequestsUsd).toBeCloseTo(3, 10);
    expect(c.monthRequestsUsd).toBeCloseTo(((1_000_000 - 20_000) / 10_000) * 0.03, 10);
  });

  it('a month at the run rate: 10,000 requests/s for 60 s', () => {
    const c = kmsCost({ requests: { symmetric: 600_000 }, seconds: 60, keys: 1 });
    expect(c.runRequestsUsd).toBeCloseTo(1.8, 10);
    expect(c.monthRequests).toBeCloseTo(10_000 * 730 * 3600, 3);
    expect(c.monthRequestsUsd).toBeCloseTo(((10_000 * 730 * 3600 - 20_000) / 10_000) * 0.03, 6);
    expect(c.monthKeysUsd).toBe(1);
    expect(c.runKeysUsd).toBeCloseTo(60 / MONTH_SECONDS, 12);
  });

  it('rotations: the first two add $1/month each, later ones nothing', () => {
    expect(kmsCost({ requests: {}, seconds: MONTH_SECONDS, keys: 2, rotationsPerKey: 1 }).monthKeysUsd).toBe(4);
    expect(kmsCost({ requests: {}, seconds: MONTH_SECONDS, keys: 1, rotationsPerKey: 7 }).monthKeysUsd).toBe(3);
  });

  it('asymmetric and key-pair prices; they get no free tier', () => {
    expect(priceClass('Sign', 'RSA_2048')).toBe('rsa-2048');
    expect(priceClass('Sign', 'ECC_NIST_P256')).toBe('asymmetric');
    expect(priceClass('GenerateDataKeyPair', undefined, 'ECC_NIST_P256')).toBe('key-pair-ecc');
    expect(priceClass('GenerateDataKeyPair', undefined, 'RSA_4096')).toBe('key-pair-rsa');
    expect(priceClass('Decrypt', 'SYMMETRIC_DEFAULT')).toBe('symmetric');
    const c = kmsCost({ requests: { asymmetric: 10_000, 'key-pair-rsa': 10_000 }, seconds: MONTH_SECONDS, keys: 0 });
    expect(c.monthRequestsUsd).toBeCloseTo(0.15 + 12, 10);
  });
});
