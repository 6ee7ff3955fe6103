import { describe, expect, it } from 'vitest';
import { QuotaBook, quotaFor, symmetricQuota, TokenBucket } from '../../../src/engine/quotas';

const T0 = Date.parse('2026-01-05T09:00:00Z');

describe('TokenBucket (interval mode: counted per one-second interval)', () => {
  it('accepts exactly perSecond requests in one second, then refuses until the next whole second', () => {
    const b = new TokenBucket(5);
    const got = Array.from({ length: 7 }, () => b.take(T0 + 100));
    expect(got).toEqual([true, true, true, true, true, false, false]);
    expect(b.take(T0 + 999)).toBe(false);
    expect(b.nextTokenAt(T0 + 999)).toBe(T0 + 1000);
    expect(b.take(T0 + 1000)).toBe(true);
    expect(b.available(T0 + 1000)).toBe(4);
  });

  it('a quota below 1/s is one request per 1/rate seconds (GetParametersForImport 0.25/s in 2023)', () => {
    const b = new TokenBucket(0.25);
    expect(b.windowMs).toBe(4000);
    expect(b.take(T0)).toBe(true);
    expect(b.take(T0 + 3999)).toBe(false);
    expect(b.take(T0 + 4000)).toBe(true);
  });

  it('takeUpTo grants what is left and no more', () => {
    const b = new TokenBucket(10_000);
    expect(b.takeUpTo(T0, 6_000)).toBe(6_000);
    expect(b.takeUpTo(T0 + 10, 6_000)).toBe(4_000);
    expect(b.takeUpTo(T0 + 20, 6_000)).toBe(0);
    expect(b.takeUpTo(T0 + 1000, 6_000)).toBe(6_000);
  });

  it('continuous mode refills from virtual time at perSecond up to its burst', () => {
    const b = new TokenBucket(2, 'continuous', 4);
    for (let i = 0; i < 4; i++) expect(b.take(T0)).toBe(true);
    expect(b.take(T0)).toBe(false);
    expect(b.nextTokenAt(T0)).toBe(T0 + 500);
    expect(b.take(T0 + 500)).toBe(true);
    expect(b.available(T0 + 60_000)).toBe(4);
  });

  it('state round-trips through JSON', () => {
    const b = new TokenBucket(3);
    b.take(T0);
    const c = new TokenBucket(3);
    c.restore(JSON.parse(JSON.stringify(b.state())));
    expect(c.available(T0 + 1)).toBe(2);
  });
});

describe('quota tables and shared-quota rules (aws-facts.md §1.1, §1.2)', () => {
  it('symmetric quota by Region group, current and 2023', () => {
    expect(symmetricQuota('current', 'us-east-1')).toBe(100_000);
    expect(symmetricQuota('current', 'eu-central-1')).toBe(20_000);
    expect(symmetricQuota('current', 'sa-east-1')).toBe(10_000);
    expect(symmetricQuota('2023', 'us-west-2')).toBe(50_000);
    expect(symmetricQuota('2023', 'ap-southeast-1')).toBe(10_000);
    expect(symmetricQuota('2023', 'us-west-1')).toBe(5_500);
  });

  it('symmetric operations share one quota; HMAC counts as symmetric', () => {
    const ids = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateRandom', 'ReEncrypt'].map(
      (action) => quotaFor('current', { action, region: 'us-east-1', keySpec: 'SYMMETRIC_DEFAULT' })?.id,
    );
    expect(new Set(ids)).toEqual(new Set(['symmetric']));
    expect(quotaFor('current', { action: 'GenerateMac', region: 'us-east-1', keySpec: 'HMAC_256' })?.id).toBe('symmetric');
  });

  it('RSA, ECC, key pairs and each management operation have their own quota', () => {
    expect(quotaFor('current', { action: 'Decrypt', region: 'us-east-1', keySpec: 'RSA_2048' })).toMatchObject({
      id: 'rsa',
      perSecond: 1000,
    });
    expect(quotaFor('2023', { action: 'Sign', region: 'us-east-1', keySpec: 'RSA_4096' })).toMatchObject({ id: 'rsa', perSecond: 500 });
    expect(quotaFor('2023', { action: 'Verify', region: 'us-east-1', keySpec: 'ECC_NIST_P256' })).toMatchObject({
      id: 'ecc',
      perSecond: 300,
    });
    expect(quotaFor('current', { action: 'GenerateDataKeyPair', region: 'us-east-1', keyPairSpec: 'RSA_4096' })).toMatchObject({
      id: 'key-pair:RSA_4096',
      perSecond: 1,
    });
    expect(quotaFor('current', { action: 'CreateKey', region: 'us-east-1' })).toMatchObject({ id: 'op:CreateKey', perSecond: 5 });
    expect(quotaFor('current', { action: 'DescribeKey', region: 'us-east-1' })?.perSecond).toBe(2000);
    expect(quotaFor('2023', { action: 'GetParametersForImport', region: 'us-east-1' })?.perSecond).toBe(0.25);
  });
});

describe('QuotaBook', () => {
  it('counts per account and Region; symmetric operations drain the same bucket', () => {
    const book = new QuotaBook({ overrides: { symmetric: 3 } });
    const q = (action: string) => ({ action, region: 'us-east-1', keySpec: 'SYMMETRIC_DEFAULT' });
    expect(book.check('111122223333', 'us-east-1', q('Encrypt'), T0)?.allowed).toBe(true);
    expect(book.check('111122223333', 'us-east-1', q('Decrypt'), T0)?.allowed).toBe(true);
    expect(book.check('111122223333', 'us-east-1', q('GenerateDataKey'), T0)?.allowed).toBe(true);
    expect(book.check('111122223333', 'us-east-1', q('Encrypt'), T0)?.allowed).toBe(false);
    // Another account, another Region, another family: their own buckets.
    expect(book.check('444455556666', 'us-east-1', q('Encrypt'), T0)?.allowed).toBe(true);
    expect(book.check('111122223333', 'eu-west-1', { ...q('Encrypt'), region: 'eu-west-1' }, T0)?.allowed).toBe(true);
    expect(book.check('111122223333', 'us-east-1', { action: 'Sign', region: 'us-east-1', keySpec: 'RSA_2048' }, T0)?.allowed).toBe(true);
  });

  it('enforcement off answers nothing; snapshot and restore keep the levels', () => {
    const off = new QuotaBook({ enforce: false });
    expect(off.check('111122223333', 'us-east-1', { action: 'CreateKey', region: 'us-east-1' }, T0)).toBeUndefined();
    const book = new QuotaBook({ preset: '2023' });
    for (let i = 0; i < 5; i++) book.check('111122223333', 'us-east-1', { action: 'CreateKey', region: 'us-east-1' }, T0);
    const again = QuotaBook.restore(JSON.parse(JSON.stringify(book.snapshot())));
    expect(again.preset).toBe('2023');
    expect(again.check('111122223333', 'us-east-1', { action: 'CreateKey', region: 'us-east-1' }, T0)?.allowed).toBe(false);
    expect(again.check('111122223333', 'us-east-1', { action: 'CreateKey', region: 'us-east-1' }, T0 + 1000)?.allowed).toBe(true);
  });
});
