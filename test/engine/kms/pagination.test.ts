/**
 * Limit / Marker / NextMarker / Truncated on the List operations (reference/kms-api.md §2.4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KmsClient } from '../../../src/engine';
import { createKey, expectAwsError, setup } from '../helpers';

let kms: KmsClient;
const keyIds: string[] = [];
beforeAll(async () => {
  ({ kms } = await setup(81));
  for (let i = 0; i < 7; i++) keyIds.push((await createKey(kms)).KeyId);
  for (let i = 0; i < 5; i++) await kms.send('CreateAlias', { AliasName: `alias/p${i}`, TargetKeyId: keyIds[i % 2]! });
});

/** Walks every page with `limit` and returns the items and the page sizes. */
async function walk<T>(page: (marker?: string) => Promise<{ items: T[]; NextMarker?: string; Truncated: boolean }>) {
  const items: T[] = [];
  const sizes: number[] = [];
  let marker: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const p = await page(marker);
    items.push(...p.items);
    sizes.push(p.items.length);
    if (!p.Truncated) {
      expect(p.NextMarker).toBeUndefined();
      return { items, sizes };
    }
    expect(typeof p.NextMarker).toBe('string');
    marker = p.NextMarker;
  }
  throw new Error('pagination never ended');
}

describe('pagination', () => {
  it('ListKeys pages with Limit and Marker, every key exactly once', async () => {
    const { items, sizes } = await walk(async (Marker) => {
      const o = await kms.send('ListKeys', { Limit: 3, ...(Marker ? { Marker } : {}) });
      for (const k of o.Keys) expect(Object.keys(k).sort()).toEqual(['KeyArn', 'KeyId']);
      return { items: o.Keys.map((k) => k.KeyId), NextMarker: o.NextMarker, Truncated: o.Truncated };
    });
    expect(sizes).toEqual([3, 3, 1]);
    expect(items.sort()).toEqual([...keyIds].sort());
    const all = await kms.send('ListKeys', {});
    expect(all.Truncated).toBe(false);
    expect(all.Keys).toHaveLength(7);
  });

  it('a Limit equal to the count is not truncated', async () => {
    const o = await kms.send('ListKeys', { Limit: 7 });
    expect(o.Truncated).toBe(false);
    expect(o).not.toHaveProperty('NextMarker');
  });

  it('ListAliases pages too', async () => {
    const { items, sizes } = await walk(async (Marker) => {
      const o = await kms.send('ListAliases', { Limit: 2, ...(Marker ? { Marker } : {}) });
      return { items: o.Aliases.map((a) => a.AliasName), NextMarker: o.NextMarker, Truncated: o.Truncated };
    });
    // Five aliases of ours and the eleven predefined alias/aws/* entries, two per page.
    expect(sizes).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(items.filter((n) => !n.startsWith('alias/aws/')).sort()).toEqual(['alias/p0', 'alias/p1', 'alias/p2', 'alias/p3', 'alias/p4']);
    const { items: forKey } = await walk(async (Marker) => {
      const o = await kms.send('ListAliases', { KeyId: keyIds[0]!, Limit: 1, ...(Marker ? { Marker } : {}) });
      return { items: o.Aliases.map((a) => a.AliasName), NextMarker: o.NextMarker, Truncated: o.Truncated };
    });
    expect(forKey.sort()).toEqual(['alias/p0', 'alias/p2', 'alias/p4']);
  });

  it('ListResourceTags pages too', async () => {
    await kms.send('TagResource', { KeyId: keyIds[0]!, Tags: Array.from({ length: 5 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'v' })) });
    const { sizes } = await walk(async (Marker) => {
      const o = await kms.send('ListResourceTags', { KeyId: keyIds[0]!, Limit: 2, ...(Marker ? { Marker } : {}) });
      return { items: o.Tags, NextMarker: o.NextMarker, Truncated: o.Truncated };
    });
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('Limit outside the range and a foreign marker are refused', async () => {
    await expectAwsError(
      kms.send('ListKeys', { Limit: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectAwsError(
      kms.send('ListKeys', { Limit: 1001 }),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    await expectAwsError(kms.send('ListAliases', { Limit: 101 }), 'ValidationException');
    await expectAwsError(kms.send('ListKeys', { Marker: 'not-a-marker' }), 'InvalidMarkerException');
    await expectAwsError(kms.send('ListAliases', { Marker: 'not-a-marker' }), 'InvalidMarkerException');
  });
});
