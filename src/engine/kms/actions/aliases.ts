/** CreateAlias, UpdateAlias, DeleteAlias, ListAliases. */
import { AwsError, validationError } from '../../errors';
import type { RequestContext } from '../../world';
import type { KmsKey } from '../key';
import { checkKeyState } from '../key-state';
import { resolveKey } from '../resolve';
import type { AliasListEntry, KmsInput, KmsOutput } from '../shapes';
import { KeyIdM, LimitM, MarkerM, OptKeyIdM, validate } from '../validate';
import type { AliasRecord, KmsService } from '../service';
import { authorizeKms } from '../authorize';
import { AWS_MANAGED_SERVICES } from '../managed-keys';
import { authorize, MANAGE, page, useKey } from './common';

export const MAX_ALIASES_PER_KEY = 50;
const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;
const AliasNameM = { t: 'string', min: 1, max: 256, required: true } as const;

/** AWS's checks of an alias name, in AWS's words (reference/kms-api.md §4.2). */
function checkAliasName(name: string): void {
  if (!ALIAS_PATTERN.test(name)) {
    throw validationError('aliasName', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  }
  if (!name.startsWith('alias/')) {
    throw new AwsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
}

function aliasArn(rc: Pick<RequestContext, 'region' | 'account'>, name: string): string {
  return `arn:aws:kms:${rc.region}:${rc.account}:${name}`;
}

/**
 * Everything CreateAlias checks about the new name before it looks at the key: the schema,
 * the pattern and prefix, the reserved alias/aws/ prefix, and that the name is free in this
 * account and Region. Exported so the page can refuse a bad alias before it creates a key.
 */
export function checkNewAliasName(kms: KmsService, where: { region: string; account: string }, name: string): void {
  validate({ AliasName: name }, { AliasName: AliasNameM });
  checkAliasName(name);
  if (name.startsWith('alias/aws/')) {
    // Reserved for AWS managed keys. AWS's wording is not recorded in our references.
    throw new AwsError('InvalidAliasNameException', `Alias names beginning with alias/aws/ are reserved for AWS managed keys: ${name}`);
  }
  const arn = aliasArn(where, name);
  if (kms.aliases.has(arn)) throw new AwsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
}

function existing(rc: RequestContext, name: string): AliasRecord {
  const arn = aliasArn(rc, name);
  const a = rc.world.kms.aliases.get(arn);
  if (!a) throw new AwsError('NotFoundException', `Alias ${arn} is not found.`);
  return a;
}

function aliasCount(rc: RequestContext, key: KmsKey): number {
  let n = 0;
  for (const a of rc.world.kms.aliases.values())
    if (a.account === key.account && a.region === key.region && a.targetKeyId === key.keyId) n++;
  return n;
}

export async function CreateAlias(rc: RequestContext, input: KmsInput<'CreateAlias'>): Promise<KmsOutput<'CreateAlias'>> {
  validate(input, { AliasName: AliasNameM, TargetKeyId: KeyIdM });
  checkNewAliasName(rc.world.kms, rc, input.AliasName);
  const arn = aliasArn(rc, input.AliasName);
  // Two halves: kms:CreateAlias on the alias (IAM policy) and on the key (key policy).
  authorize(rc, arn);
  const key = useKey(rc, input.TargetKeyId, MANAGE);
  if (aliasCount(rc, key) >= MAX_ALIASES_PER_KEY) {
    throw new AwsError('LimitExceededException', `A KMS key can have at most ${MAX_ALIASES_PER_KEY} aliases: ${key.arn}`);
  }
  const now = rc.now.getTime();
  rc.world.kms.aliases.set(arn, {
    name: input.AliasName,
    arn,
    account: rc.account,
    region: rc.region,
    targetKeyId: key.keyId,
    creationMs: now,
    lastUpdatedMs: now,
  });
  rc.audit.resources = [
    { accountId: rc.account, type: 'AWS::KMS::Alias', ARN: arn },
    { accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn },
  ];
  return {};
}

export async function UpdateAlias(rc: RequestContext, input: KmsInput<'UpdateAlias'>): Promise<KmsOutput<'UpdateAlias'>> {
  validate(input, { AliasName: AliasNameM, TargetKeyId: KeyIdM });
  checkAliasName(input.AliasName);
  const alias = existing(rc, input.AliasName);
  const target = resolveKey(rc, rc.world.kms, input.TargetKeyId, MANAGE).key;
  // Three permissions: on the alias (IAM), on the key it points to now and on the new key (key policies).
  authorize(rc, alias.arn);
  const current = rc.world.kms.keys.get(rc.world.kms.keyArn(rc.region, rc.account, alias.targetKeyId));
  if (current) authorizeKms(rc, { key: current });
  authorizeKms(rc, { key: target });
  // The old key may be pending deletion; the new one may not.
  if (target.state === 'PendingDeletion') throw new AwsError('KMSInvalidStateException', `${target.arn} is pending deletion.`);
  checkKeyState('UpdateAlias', target);
  const old = rc.world.kms.keys.get(rc.world.kms.keyArn(rc.region, rc.account, alias.targetKeyId));
  if (
    (old && (old.keySpec === 'SYMMETRIC_DEFAULT') !== (target.keySpec === 'SYMMETRIC_DEFAULT')) ||
    (old && old.keyUsage !== target.keyUsage)
  ) {
    // UpdateAlias: old and new key must have the same type and key usage. AWS's wording is not recorded.
    throw new AwsError('ValidationException', `${target.arn} has a different key type or key usage than the key the alias points to now.`);
  }
  alias.targetKeyId = target.keyId;
  alias.lastUpdatedMs = rc.now.getTime();
  rc.audit.resources = [
    { accountId: rc.account, type: 'AWS::KMS::Alias', ARN: alias.arn },
    { accountId: target.account, type: 'AWS::KMS::Key', ARN: target.arn },
  ];
  return {};
}

export async function DeleteAlias(rc: RequestContext, input: KmsInput<'DeleteAlias'>): Promise<KmsOutput<'DeleteAlias'>> {
  validate(input, { AliasName: AliasNameM });
  checkAliasName(input.AliasName);
  const alias = existing(rc, input.AliasName);
  authorize(rc, alias.arn);
  const target = rc.world.kms.keys.get(rc.world.kms.keyArn(rc.region, rc.account, alias.targetKeyId));
  if (target) authorizeKms(rc, { key: target });
  rc.world.kms.aliases.delete(alias.arn);
  rc.audit.resources = [{ accountId: rc.account, type: 'AWS::KMS::Alias', ARN: alias.arn }];
  return {};
}

export async function ListAliases(rc: RequestContext, input: KmsInput<'ListAliases'>): Promise<KmsOutput<'ListAliases'>> {
  validate(input, { KeyId: OptKeyIdM, Limit: LimitM(100), Marker: MarkerM });
  const key = input.KeyId === undefined ? undefined : resolveKey(rc, rc.world.kms, input.KeyId, MANAGE).key;
  authorize(rc);
  const entries: AliasListEntry[] = [...rc.world.kms.aliases.values()]
    .filter((a) => a.account === rc.account && a.region === rc.region && (!key || a.targetKeyId === key.keyId))
    .map((a) => ({
      AliasName: a.name,
      AliasArn: a.arn,
      TargetKeyId: a.targetKeyId,
      CreationDate: new Date(a.creationMs),
      LastUpdatedDate: new Date(a.lastUpdatedMs),
    }));
  if (!key) {
    // Predefined aliases that AWS created but has not yet associated with a key have no
    // TargetKeyId (ListAliases API reference).
    for (const service of AWS_MANAGED_SERVICES) {
      const arn = aliasArn(rc, `alias/aws/${service}`);
      if (!rc.world.kms.aliases.has(arn)) entries.push({ AliasName: `alias/aws/${service}`, AliasArn: arn });
    }
  }
  entries.sort((a, b) => a.AliasName.localeCompare(b.AliasName));
  const p = page(entries, input.Limit, input.Marker, 50);
  return p.Truncated ? { Aliases: p.items, NextMarker: p.NextMarker, Truncated: true } : { Aliases: p.items, Truncated: false };
}
