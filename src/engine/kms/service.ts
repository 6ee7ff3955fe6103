/**
 * The KMS service of the world: its stored keys and aliases (for every account and region),
 * the table of actions, the clock-driven jobs (deletion, automatic rotation), CloudTrail
 * records and the save format.
 */
import { AwsError } from '../errors';
import type { RequestContext, World } from '../world';
import { cloudTrailTime, userIdentityOf, type CloudTrailEvent } from '../cloudtrail';
import { fromBase64, toBase64 } from '../crypto';
import type { KmsKey, KeyMaterial } from './key';
import { transition } from 'xstate';
import { lifecycleSnapshot, keyLifecycleMachine, type KeyLifecycleEvent } from './lifecycle';
import type { KeyState } from './shapes';
import { ACTIONS, READ_ONLY } from './actions';
import { rotateKey } from './actions/rotation';
import type { Grant } from './grants';
import { AWS_MANAGED_SERVICES, createAwsManagedKey } from './managed-keys';

export interface AliasRecord {
  name: string;
  arn: string;
  account: string;
  region: string;
  targetKeyId: string;
  creationMs: number;
  lastUpdatedMs: number;
}

type Handler = (ctx: RequestContext, input: unknown) => Promise<unknown>;

/** Bytes in a saved key are base64 strings. */
type Saved<T> = { [K in keyof T]: T[K] extends Uint8Array ? string : T[K] };
export interface KmsSnapshot {
  keys: (Omit<KmsKey, 'materials'> & { materials: Saved<KeyMaterial>[] })[];
  aliases: AliasRecord[];
  /** Absent in worlds saved before grants were simulated. */
  grants?: Grant[];
}

export class KmsService {
  /** Every key of every account and region, by key ARN. */
  readonly keys = new Map<string, KmsKey>();
  /** Every alias, by alias ARN. */
  readonly aliases = new Map<string, AliasRecord>();
  /** Every grant, by grant id. */
  readonly grants = new Map<string, Grant>();
  /** Grant ids by key ARN, so authorization looks at one key's grants only. */
  private grantsByKey = new Map<string, Set<string>>();

  constructor(readonly world: World) {}

  grantsOf(keyArn: string): Grant[] {
    const ids = this.grantsByKey.get(keyArn);
    if (!ids) return [];
    const out: Grant[] = [];
    for (const id of ids) {
      const g = this.grants.get(id);
      if (g) out.push(g);
    }
    return out;
  }

  addGrant(g: Grant): void {
    this.grants.set(g.grantId, g);
    let set = this.grantsByKey.get(g.keyArn);
    if (!set) this.grantsByKey.set(g.keyArn, (set = new Set()));
    set.add(g.grantId);
  }

  removeGrant(g: Grant): void {
    this.grants.delete(g.grantId);
    this.grantsByKey.get(g.keyArn)?.delete(g.grantId);
  }

  isGrantToken(token: string): boolean {
    for (const g of this.grants.values()) if (g.tokens.includes(token)) return true;
    return false;
  }

  /** The alias names that point to a key (kms:ResourceAliases). */
  aliasNamesOf(key: KmsKey): string[] {
    const out: string[] = [];
    for (const a of this.aliases.values()) {
      if (a.targetKeyId === key.keyId && a.account === key.account && a.region === key.region) out.push(a.name);
    }
    return out;
  }

  /**
   * The AWS managed key behind `alias/aws/<service>` in an account and Region, created the
   * first time it is needed (a service's first use, or DescribeKey on the predefined alias).
   */
  awsManagedKey(account: string, region: string, service: string): KmsKey | undefined {
    const aliasArn = `arn:aws:kms:${region}:${account}:alias/aws/${service}`;
    const alias = this.aliases.get(aliasArn);
    if (alias) return this.keys.get(this.keyArn(region, account, alias.targetKeyId));
    if (!AWS_MANAGED_SERVICES.includes(service)) return undefined;
    return createAwsManagedKey(this, account, region, service);
  }

  keyArn(region: string, account: string, keyId: string): string {
    return `arn:aws:kms:${region}:${account}:key/${keyId}`;
  }

  handler(action: string): Handler | undefined {
    return Object.hasOwn(ACTIONS, action) ? (ACTIONS[action as keyof typeof ACTIONS] as unknown as Handler) : undefined;
  }

  /**
   * Asks the lifecycle machine whether `event` is allowed for `key` and applies the state it
   * leads to. Returns false (and changes nothing) when the machine does not take the event.
   */
  transition(key: KmsKey, event: KeyLifecycleEvent, ctx?: RequestContext): boolean {
    const snap = lifecycleSnapshot(key.state, { deletionMs: key.deletionMs ?? null, hasMaterial: key.materials.length > 0 });
    if (!snap.can(event)) return false;
    const [next] = transition(keyLifecycleMachine, snap, event);
    const to = next.value as KeyState | 'Deleted';
    const from = key.state;
    if (to === 'Deleted') {
      this.deleteKey(key);
    } else {
      key.state = to;
      key.deletionMs = next.context.deletionMs ?? undefined;
      if (key.deletionMs === undefined) delete key.pendingWindowInDays;
    }
    if (ctx && from !== to) ctx.step({ node: 'KMS', step: 'state-changed', keyArn: key.arn, from, to });
    return true;
  }

  /** Deletes a key for good, with its material and every alias that points to it. */
  private deleteKey(key: KmsKey): void {
    this.keys.delete(key.arn);
    for (const [arn, a] of this.aliases) {
      if (a.account === key.account && a.region === key.region && a.targetKeyId === key.keyId) this.aliases.delete(arn);
    }
    key.materials = [];
    for (const g of this.grantsOf(key.arn)) this.removeGrant(g);
    this.world.serviceEvent({
      eventSource: 'kms.amazonaws.com',
      eventName: 'DeleteKey',
      awsRegion: key.region,
      requestParameters: null,
      responseElements: null,
      additionalEventData: { keyId: key.arn },
      readOnly: false,
      resources: [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }],
      recipientAccountId: key.account,
    });
  }

  /** Virtual time moved: deletions that fell due happen, rotations that fell due happen. */
  onTick(now: Date): void {
    const nowMs = now.getTime();
    for (const key of [...this.keys.values()]) {
      if (key.state === 'PendingDeletion') {
        this.transition(key, { type: 'CLOCK', nowMs });
        continue;
      }
      // Disabled keys are not rotated; EnableKey catches up a rotation that fell due meanwhile.
      if (key.state === 'Enabled') this.rotateDue(key, nowMs);
    }
  }

  /** Performs every automatic rotation due by `nowMs` (a year's jump with a 90-day period is four). */
  rotateDue(key: KmsKey, nowMs: number): void {
    const r = key.rotation;
    while (r.enabled && r.nextMs !== undefined && r.nextMs <= nowMs) {
      const at = r.nextMs;
      rotateKey(key, 'AUTOMATIC', at, this.world.ids.hex(64), this.world.randomBytes);
      r.nextMs = at + r.periodDays * 86_400_000;
      this.world.serviceEvent({
        eventSource: 'kms.amazonaws.com',
        eventName: 'RotateKey',
        awsRegion: key.region,
        requestParameters: null,
        responseElements: null,
        additionalEventData: { keyMaterialId: key.materials[key.materials.length - 1]!.id },
        readOnly: false,
        resources: [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }],
        recipientAccountId: key.account,
      });
    }
  }

  private identities = new Map<string, CloudTrailEvent['userIdentity']>();

  /** A principal's CloudTrail identity; its session starts at its first call. */
  private identity(ctx: RequestContext): CloudTrailEvent['userIdentity'] {
    let id = this.identities.get(ctx.principal.arn);
    if (!id) {
      id = userIdentityOf(ctx.principal, ctx.now);
      this.identities.set(ctx.principal.arn, id);
    }
    return id;
  }

  /** The CloudTrail record of one call (aws-facts.md §2.12): blobs are never logged. */
  cloudTrailEvent(ctx: RequestContext, action: string, input: unknown, output: unknown, error: AwsError | undefined): CloudTrailEvent {
    // A call an AWS service makes for a principal names the service (invokedBy, source address).
    const via = ctx.via ? `${ctx.via}.amazonaws.com` : undefined;
    const e: CloudTrailEvent = {
      eventVersion: '1.11',
      userIdentity: via ? { ...this.identity(ctx), invokedBy: via } : this.identity(ctx),
      eventTime: cloudTrailTime(ctx.now),
      eventSource: 'kms.amazonaws.com',
      eventName: action,
      awsRegion: ctx.region,
      sourceIPAddress: via ?? (ctx.principal.type === 'AWSService' ? ctx.principal.arn : '203.0.113.10'),
      userAgent: via ?? (ctx.principal.type === 'AWSService' ? ctx.principal.arn : 'kms-lab'),
      requestParameters: requestParameters(action, input),
      responseElements: error ? null : (ctx.audit.responseElements ?? null),
      requestID: ctx.requestId,
      eventID: this.world.ids.uuid(),
      readOnly: READ_ONLY.has(action),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ctx.account || ctx.principal.account,
      eventCategory: 'Management',
    };
    if (error) {
      e.errorCode = error.name;
      e.errorMessage = error.message;
    }
    if (ctx.audit.additionalEventData) e.additionalEventData = ctx.audit.additionalEventData;
    if (ctx.audit.resources.length) e.resources = ctx.audit.resources;
    return e;
  }

  snapshot(): KmsSnapshot {
    const saveMaterial = (m: KeyMaterial): Saved<KeyMaterial> =>
      m.kind === 'asymmetric'
        ? { ...m, privateKeyPkcs8: toBase64(m.privateKeyPkcs8), publicKeySpki: toBase64(m.publicKeySpki) }
        : { ...m, secret: toBase64(m.secret) };
    return {
      keys: [...this.keys.values()].map((k) => ({ ...structuredClone({ ...k, materials: [] }), materials: k.materials.map(saveMaterial) })),
      aliases: [...this.aliases.values()].map((a) => ({ ...a })),
      grants: [...this.grants.values()].map((g) => structuredClone(g)),
    };
  }

  restore(s: KmsSnapshot): void {
    this.keys.clear();
    this.aliases.clear();
    for (const k of s.keys) {
      const materials: KeyMaterial[] = k.materials.map((m) =>
        m.kind === 'asymmetric'
          ? { ...m, privateKeyPkcs8: fromBase64(m.privateKeyPkcs8 as string), publicKeySpki: fromBase64(m.publicKeySpki as string) }
          : ({ ...m, secret: fromBase64((m as Saved<KeyMaterial> & { secret: string }).secret) } as KeyMaterial),
      );
      const rotations = k.rotations.map((r) => ({ ...r, RotationDate: new Date(r.RotationDate) }));
      this.keys.set(k.arn, { ...k, materials, rotations });
    }
    for (const a of s.aliases) this.aliases.set(a.arn, { ...a });
    this.grants.clear();
    this.grantsByKey.clear();
    for (const g of s.grants ?? []) this.addGrant(structuredClone(g));
  }
}

const camelNames = new Map<string, string>();
function lowerCamel(k: string): string {
  let c = camelNames.get(k);
  if (c === undefined) {
    c = k.charAt(0).toLowerCase() + k.slice(1);
    if (camelNames.size < 500) camelNames.set(k, c);
  }
  return c;
}

const BLOB_FIELDS = new Set(['Plaintext', 'CiphertextBlob', 'Message', 'Signature', 'Mac', 'GrantTokens']);

/** CloudTrail's requestParameters: the input in lower camel case, without any blob. */
function requestParameters(action: string, input: unknown): Record<string, unknown> | null {
  if (!input || typeof input !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (BLOB_FIELDS.has(k) || v === undefined || v instanceof Uint8Array) continue;
    // Grant constraints are written in lower camel case too (encryptionContextSubset).
    out[lowerCamel(k)] =
      k === 'Constraints' && v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([ck, cv]) => [lowerCamel(ck), cv])) : v;
  }
  // CloudTrail shows the algorithm even when the caller left it out.
  if ((action === 'Encrypt' || action === 'Decrypt') && !('encryptionAlgorithm' in out)) out.encryptionAlgorithm = 'SYMMETRIC_DEFAULT';
  return Object.keys(out).length ? out : null;
}
