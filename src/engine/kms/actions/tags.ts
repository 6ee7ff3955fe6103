/** TagResource, UntagResource, ListResourceTags. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import type { KmsInput, KmsOutput, Tag } from '../shapes';
import { KeyIdM, LimitM, MarkerM, validate } from '../validate';
import { MANAGE, page, useKey } from './common';

export const MAX_TAGS = 50;

/** Tag rules beyond the schema (reference/kms-api.md §4.2). */
export function checkTags(add: Tag[], existing: Tag[]): void {
  const seen = new Set<string>();
  for (const t of add) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw new AwsError('TagException', 'Tags beginning with aws: are reserved');
    if (seen.has(t.TagKey)) throw new AwsError('TagException', 'Duplicate tag keys');
    seen.add(t.TagKey);
  }
  const total = new Set([...existing.map((t) => t.TagKey), ...seen]).size;
  if (total > MAX_TAGS) throw new AwsError('TagException', 'Too many tags');
}

export async function TagResource(ctx: RequestContext, input: KmsInput<'TagResource'>): Promise<KmsOutput<'TagResource'>> {
  validate(input, { KeyId: KeyIdM, Tags: { t: 'tags', required: true } });
  const key = useKey(ctx, input.KeyId, MANAGE);
  checkTags(input.Tags, key.tags);
  for (const t of input.Tags) {
    const old = key.tags.find((x) => x.TagKey === t.TagKey);
    if (old) old.TagValue = t.TagValue;
    else key.tags.push({ TagKey: t.TagKey, TagValue: t.TagValue });
  }
  return {};
}

export async function UntagResource(ctx: RequestContext, input: KmsInput<'UntagResource'>): Promise<KmsOutput<'UntagResource'>> {
  validate(input, { KeyId: KeyIdM, TagKeys: { t: 'strings', required: true, itemMax: 128 } });
  const key = useKey(ctx, input.KeyId, MANAGE);
  if (input.TagKeys.some((k) => k.toLowerCase().startsWith('aws:')))
    throw new AwsError('TagException', 'Tags beginning with aws: are reserved');
  key.tags = key.tags.filter((t) => !input.TagKeys.includes(t.TagKey));
  return {};
}

export async function ListResourceTags(ctx: RequestContext, input: KmsInput<'ListResourceTags'>): Promise<KmsOutput<'ListResourceTags'>> {
  validate(input, { KeyId: KeyIdM, Limit: LimitM(50), Marker: MarkerM });
  const key = useKey(ctx, input.KeyId, MANAGE);
  const p = page(
    key.tags.map((t) => ({ ...t })),
    input.Limit,
    input.Marker,
    50,
  );
  return p.Truncated ? { Tags: p.items, NextMarker: p.NextMarker, Truncated: true } : { Tags: p.items, Truncated: false };
}
