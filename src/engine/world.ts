/**
 * The simulated AWS world: accounts, principals, regions, a virtual clock, seeded ids,
 * CloudTrail, and one service object per AWS service. `world.client(service, ...)` returns
 * a client that speaks that service's API; every call goes through `World.call`, which is the
 * request pipeline (authenticate, authorize, run the action, audit, answer) and leaves a trace.
 */
import { AwsError, isAwsError } from './errors';
import { VirtualClock, type Duration } from './clock';
import { SeededIds, type IdState } from './ids';
import type { Trace, TraceStep } from './trace';
import { CloudTrailLog, cloudTrailTime, userIdentityOf, type CloudTrailEvent } from './cloudtrail';
import { DEFAULT_REGION, HOME_ACCOUNT, OTHER_ACCOUNT, REGIONS, rootPrincipals, servicePrincipal, type Principal } from './iam/principals';
import { IamService, type IamSnapshot } from './iam/service';
import { IAM_ACTIONS, iamCloudTrailEvent, type IamActionName, type IamInput, type IamOutput } from './iam/actions';
import { KmsService, type KmsSnapshot } from './kms/service';
import { S3Service, type S3Snapshot } from './s3/service';
import type { S3ActionName, S3Input, S3Output } from './s3/shapes';
import { parsePolicy } from './iam/policy/document';
import type { KmsActionName, KmsInput, KmsOutput } from './kms/shapes';
import { QuotaBook, sandboxQuotaQuery, THROTTLING_MESSAGE, type QuotaOptions, type QuotaSnapshot } from './quotas';
import { ChaChaDrbg, randomBytes, type DrbgState, type RandomSource } from './crypto';

/** A step as a handler reports it; the world stamps the time. */
export type StepInput = TraceStep extends infer S ? (S extends TraceStep ? Omit<S, 'at'> : never) : never;

/** What an action handler may use and report while it runs. */
export interface RequestContext {
  readonly world: World;
  readonly region: string;
  readonly principal: Principal;
  /** The principal ARN exactly as the client gave it (an STS session ARN stays one). */
  readonly callerArn: string;
  readonly account: string;
  readonly requestId: string;
  readonly action: string;
  readonly input: unknown;
  readonly now: Date;
  /** The AWS service making the call on the principal's behalf (`s3`, `ec2`, …): kms:ViaService. */
  readonly via?: string;
  /** aws:SecureTransport (every SDK call uses HTTPS unless a lesson says otherwise). */
  readonly secureTransport: boolean;
  /** For a service principal's call: aws:SourceAccount and aws:SourceArn. */
  readonly sourceAccount?: string;
  readonly sourceArn?: string;
  step(s: StepInput): void;
  /** What the handler adds to this call's CloudTrail record. */
  audit: {
    resources: { accountId: string; type: string; ARN: string }[];
    additionalEventData?: Record<string, unknown>;
    responseElements?: Record<string, unknown> | null;
  };
}

export interface CallRecord {
  trace: Trace;
  service: string;
  action: string;
  region: string;
  principal: string;
  input: unknown;
  output?: unknown;
  error?: { name: string; message: string };
  event: CloudTrailEvent;
}

export interface ServiceClient<Actions extends string, In extends Record<Actions, unknown>, Out extends Record<Actions, unknown>> {
  readonly region: string;
  readonly principal: string;
  send<A extends Actions>(action: A, input: In[A]): Promise<Out[A]>;
}

export type KmsClient = ServiceClient<KmsActionName, { [A in KmsActionName]: KmsInput<A> }, { [A in KmsActionName]: KmsOutput<A> }>;
export type IamClient = ServiceClient<IamActionName, { [A in IamActionName]: IamInput<A> }, { [A in IamActionName]: IamOutput<A> }>;
export type S3Client = ServiceClient<S3ActionName, { [A in S3ActionName]: S3Input<A> }, { [A in S3ActionName]: S3Output<A> }>;

export interface ClientOptions {
  region?: string;
  /**
   * Principal ARN (an IAM user or role, an STS assumed-role session, an account root), or an
   * AWS service principal such as `logs.us-east-1.amazonaws.com`. Defaults to the Admin role
   * of account 111122223333.
   */
  principal?: string;
  /** An AWS service calling on the principal's behalf (`s3`, `ec2`, `secretsmanager`, …). */
  via?: string;
  /** Send over plain HTTP (aws:SecureTransport false). */
  insecure?: boolean;
  /** For a service principal: the account and resource it acts for (aws:SourceAccount/SourceArn). */
  sourceAccount?: string;
  sourceArn?: string;
}

interface CallOptions {
  region: string;
  principal: string;
  via?: string;
  insecure?: boolean;
  sourceAccount?: string;
  sourceArn?: string;
}

export interface WorldSnapshot {
  format: 'kms-lab-world';
  version: 1;
  clockMs: number;
  ids: IdState;
  kms: KmsSnapshot;
  /** Absent in worlds saved before IAM was simulated: they get the default IAM. */
  iam?: IamSnapshot;
  /** Absent in worlds saved before S3 was simulated. */
  s3?: S3Snapshot;
  permissive?: boolean;
  cloudtrail: CloudTrailEvent[];
  /** Quota settings and bucket levels (absent in files saved before quotas existed). */
  quotas?: QuotaSnapshot;
  /** Present only in a world with reproducible crypto: the DRBG's seed and how far its stream has been read. */
  reproducibleCrypto?: DrbgState;
}

export interface WorldOptions {
  /** Seed for ids (key ids, request ids), so a scenario replays the same way. */
  seed?: number;
  /** Virtual start time. */
  start?: Date;
  /** Restore a saved world. */
  snapshot?: WorldSnapshot;
  /** Permissive mode: policies are evaluated and shown but not enforced (off by default). */
  permissive?: boolean;
  /**
   * Request quotas (`{ enforce: true, preset: 'current' | '2023' }`). Off unless asked for: the
   * virtual clock stands still between calls, so ordinary use (six CreateKey calls in a row) would
   * all fall in one virtual second and meet CreateKey's 5-per-second quota. Scenarios and the
   * throttling lab turn them on.
   */
  quotas?: QuotaOptions;
  /**
   * Teaching only, off by default. Key material, IVs, data keys, salts, padding and signature
   * randomness come from a DRBG seeded with `seed` (crypto/drbg.ts) instead of the CSPRNG, so that
   * the same seed and the same calls give the same bytes in every browser: what a classroom link
   * needs for every student to see the same ciphertexts. Anyone who knows the seed can recompute
   * every key, and AWS never does this. Classroom mode turns it on; nothing else does.
   * The bytes repeat when the calls come in the same order. Calls left running side by side
   * (Promise.all) draw in the order their awaits resume, which WebCrypto may vary; the scenario
   * runner and the page send one call at a time.
   */
  reproducibleCrypto?: boolean;
}

export const DEFAULT_START = new Date('2026-01-05T09:00:00Z');

export class World {
  readonly clock: VirtualClock;
  readonly ids: SeededIds;
  readonly accounts = [HOME_ACCOUNT, OTHER_ACCOUNT];
  readonly regions = REGIONS;
  readonly cloudtrail = new CloudTrailLog();
  readonly kms: KmsService;
  readonly iam = new IamService();
  readonly s3: S3Service;
  /** Permissive mode: every request is evaluated and explained, but nothing is denied. */
  permissive: boolean;
  /**
   * False switches policy evaluation off altogether (no explanation either). Not saved; for
   * benchmarks that measure what authorization costs.
   */
  policyEvaluation = true;
  /** Request quotas per account, Region and quota; `world.quotas.configure(...)` changes them. */
  readonly quotas: QuotaBook;
  /** True when this world's random bytes come from its seeded DRBG (WorldOptions.reproducibleCrypto). */
  readonly reproducibleCrypto: boolean;
  /**
   * Where every random byte of this world's key material, IVs, data keys, salts and padding comes
   * from: the CSPRNG (`randomBytes` itself), or the seeded DRBG in a reproducible world. A function
   * property, so that it can be handed to the crypto functions as their `random` source.
   */
  readonly randomBytes: RandomSource;
  private readonly drbg: ChaChaDrbg | undefined;
  private listeners = new Set<(r: CallRecord) => void>();

  constructor(options: WorldOptions = {}) {
    const snap = options.snapshot;
    this.clock = new VirtualClock(snap ? snap.clockMs : (options.start ?? DEFAULT_START));
    this.ids = new SeededIds(snap ? snap.ids : (options.seed ?? 1));
    // A snapshot decides for itself: it carries the DRBG's state when the saved world had one.
    const saved = snap ? snap.reproducibleCrypto : undefined;
    this.reproducibleCrypto = snap ? saved !== undefined : options.reproducibleCrypto === true;
    // The services below draw bytes as they are built (S3's root key); a restored world moves the
    // stream to its saved position only after that, so restoring does not shift it.
    this.drbg = !this.reproducibleCrypto ? undefined : saved ? new ChaChaDrbg(saved.seed) : new ChaChaDrbg(options.seed ?? 1);
    this.randomBytes = this.drbg ? this.drbg.bytes : randomBytes;
    this.kms = new KmsService(this);
    this.s3 = new S3Service(this);
    this.permissive = options.permissive ?? snap?.permissive ?? false;
    if (snap?.iam) this.iam.restore(snap.iam);
    else this.iam.seedDefaults(this.clock.nowMs());
    if (snap?.s3) this.s3.restore(snap.s3, (text) => parsePolicy(text, 'bucket'));
    this.quotas = snap?.quotas ? QuotaBook.restore(snap.quotas) : new QuotaBook({ enforce: false, ...options.quotas });
    if (snap) {
      this.kms.restore(snap.kms);
      for (const e of snap.cloudtrail) this.cloudtrail.put(e);
    }
    if (saved) this.drbg!.seek(saved.position);
    this.clock.onTick((now) => this.kms.onTick(now));
  }

  /** Everyone who can call: each account's root user, and the IAM users and roles. */
  get principals(): Principal[] {
    return [...rootPrincipals(), ...this.iam.principals()];
  }

  /**
   * A known principal by its ARN; an STS assumed-role ARN names its role; a service principal
   * (`s3.amazonaws.com`) is an AWS service.
   */
  principal(arn: string): Principal | undefined {
    const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
    const wanted = assumed ? `arn:aws:iam::${assumed[1]}:role/${assumed[2]}` : arn;
    const root = /^arn:aws:iam::(\d{12}):root$/.exec(wanted);
    if (root) return rootPrincipals().find((p) => p.arn === wanted);
    const e = this.iam.entityOf(wanted);
    if (e) return { arn: e.arn, account: e.account, type: e.kind === 'user' ? 'IAMUser' : 'AssumedRole', label: e.label };
    return servicePrincipal(arn);
  }

  client(service: 'kms', options?: ClientOptions): KmsClient;
  client(service: 'iam', options?: ClientOptions): IamClient;
  client(service: 's3', options?: ClientOptions): S3Client;
  client(service: string, options: ClientOptions = {}): KmsClient | IamClient | S3Client {
    if (service !== 'kms' && service !== 'iam' && service !== 's3') throw new Error(`kms-lab does not simulate the ${service} service yet`);
    // IAM is a global service; its calls are recorded in us-east-1.
    const region = service === 'iam' ? 'us-east-1' : (options.region ?? DEFAULT_REGION);
    const principal = options.principal ?? `arn:aws:iam::${HOME_ACCOUNT}:role/Admin`;
    const call: CallOptions = { region, principal };
    if (options.via) call.via = options.via;
    if (options.insecure) call.insecure = true;
    if (options.sourceAccount) call.sourceAccount = options.sourceAccount;
    if (options.sourceArn) call.sourceArn = options.sourceArn;
    return {
      region,
      principal,
      send: (action: string, input: unknown) => this.call(service, action, input, call) as never,
    } as KmsClient | IamClient | S3Client;
  }

  /** Advances virtual time; deletions and rotations that fall due happen now. */
  advance(d: Duration): Date {
    return this.clock.advance(d);
  }

  onCall(listener: (r: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The request pipeline. Every client call, from every service, passes through here. */
  async call(service: 'kms' | 'iam' | 's3', action: string, input: unknown, options: CallOptions): Promise<unknown> {
    const { region, principal: principalArn } = options;
    /** The service that answers: KMS, S3, or IAM. */
    const answerer = service === 'kms' ? 'KMS' : service === 's3' ? 'S3' : 'IAM';
    const now = this.clock.now();
    const requestId = this.ids.uuid();
    const trace: Trace = { requestId, service, action, region, principal: principalArn, steps: [] };
    const at = now.getTime();
    const step = (s: StepInput) => {
      (s as TraceStep).at = at;
      trace.steps.push(s as TraceStep);
    };
    step({ node: 'Client', step: 'request', service, action, region, principal: principalArn });

    const principal = this.principal(principalArn);
    const ctx: RequestContext = {
      world: this,
      region,
      principal: principal ?? { arn: principalArn, account: '', type: 'IAMUser', label: principalArn },
      callerArn: principalArn,
      account: principal?.account || options.sourceAccount || '',
      requestId,
      action,
      input,
      now,
      secureTransport: !options.insecure,
      step,
      audit: { resources: [] },
      ...(options.via ? { via: options.via } : {}),
      ...(options.sourceAccount ? { sourceAccount: options.sourceAccount } : {}),
      ...(options.sourceArn ? { sourceArn: options.sourceArn } : {}),
    };

    let output: unknown;
    let error: AwsError | undefined;
    try {
      if (!principal) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      step({ node: 'IAM', step: 'authenticated', principal: principal.arn, account: principal.account });
      if (!(this.regions as readonly string[]).includes(region)) {
        throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      const handler = service === 'kms' ? this.kms.handler(action) : service === 's3' ? this.s3.handler(action) : iamHandler(action);
      if (!handler) throw new AwsError(service === 'kms' ? 'UnknownOperationException' : 'InvalidAction', '');
      if (service === 'kms') this.checkQuota(ctx, input, at);
      output = await handler(ctx, input ?? {});
      step({ node: answerer, step: 'answered' });
    } catch (e) {
      error = isAwsError(e) ? e : internalFailure(e);
      error.$metadata = { ...error.$metadata, requestId };
      step({ node: answerer, step: 'failed', errorCode: error.name, message: error.message });
    }

    const event =
      service === 'kms'
        ? this.kms.cloudTrailEvent(ctx, action, input, output, error)
        : service === 's3'
          ? this.s3.cloudTrailEvent(ctx, action, input, error)
          : iamCloudTrailEvent(ctx, action, input, error);
    this.cloudtrail.put(event);
    trace.steps.splice(trace.steps.length - 1, 0, {
      node: 'CloudTrail',
      step: 'audited',
      eventId: event.eventID,
      eventName: event.eventName,
      at,
    });

    if (this.listeners.size) {
      const rec: CallRecord = { trace, service, action, region, principal: principalArn, input, output, event };
      if (error) rec.error = { name: error.name, message: error.message };
      for (const l of this.listeners) l(rec);
    }
    if (error) throw error;
    return output;
  }

  /**
   * Counts the request against its quota; over the quota it fails with ThrottlingException (aws-facts.md §1.4).
   * Not simulated: "hot key" throttling of rapid state changes on one key, and custom key store quotas.
   * (Uncertain: the throttled call still gets a CloudTrail record here, with errorCode ThrottlingException.)
   */
  private checkQuota(ctx: RequestContext, input: unknown, at: number): void {
    if (!this.quotas.enforce) return;
    const d = this.quotas.check(ctx.account, ctx.region, sandboxQuotaQuery(this.kms, ctx.region, ctx.account, ctx.action, input), at);
    if (!d || d.allowed) return;
    ctx.step({ node: 'KMS', step: 'throttled', quota: d.quota.name, perSecond: d.quota.perSecond });
    throw new AwsError('ThrottlingException', THROTTLING_MESSAGE);
  }

  /** Records something AWS did on its own (a scheduled deletion, an automatic rotation). */
  serviceEvent(
    e: Omit<
      CloudTrailEvent,
      | 'eventVersion'
      | 'eventTime'
      | 'requestID'
      | 'eventID'
      | 'managementEvent'
      | 'eventCategory'
      | 'userIdentity'
      | 'sourceIPAddress'
      | 'userAgent'
      | 'eventType'
    >,
  ): void {
    this.cloudtrail.put({
      eventVersion: '1.11',
      userIdentity: { type: 'AWSService', principalId: '', invokedBy: 'kms.amazonaws.com' },
      eventTime: cloudTrailTime(this.clock.now()),
      sourceIPAddress: 'kms.amazonaws.com',
      userAgent: 'kms.amazonaws.com',
      requestID: this.ids.uuid(),
      eventID: this.ids.uuid(),
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      eventCategory: 'Management',
      ...e,
    });
  }

  snapshot(): WorldSnapshot {
    return {
      format: 'kms-lab-world',
      version: 1,
      clockMs: this.clock.nowMs(),
      ids: this.ids.state(),
      kms: this.kms.snapshot(),
      iam: this.iam.snapshot(),
      s3: this.s3.snapshot(),
      permissive: this.permissive,
      cloudtrail: this.cloudtrail.events.slice(),
      quotas: this.quotas.snapshot(),
      ...(this.drbg ? { reproducibleCrypto: this.drbg.state() } : {}),
    };
  }

  identityOf(p: Principal, now: Date) {
    return userIdentityOf(p, now);
  }
}

function iamHandler(action: string): ((ctx: RequestContext, input: unknown) => Promise<unknown>) | undefined {
  return Object.hasOwn(IAM_ACTIONS, action)
    ? (IAM_ACTIONS[action as IamActionName] as unknown as (ctx: RequestContext, input: unknown) => Promise<unknown>)
    : undefined;
}

/**
 * A bug in the simulator must still look like an AWS answer to the caller (never a crash);
 * tests and the fuzzer treat any InternalFailure as a defect.
 */
function internalFailure(e: unknown): AwsError {
  const err = new AwsError('KMSInternalException', 'The request processing has failed because of an unknown error, exception or failure.');
  (err as { cause?: unknown }).cause = e;
  return err;
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  return new World(options);
}
