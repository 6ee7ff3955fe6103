/**
 * Who may do what with a KMS key: the request's condition keys, the key policy, the caller's
 * IAM policies and the key's grants, combined by iam/authorize.ts, recorded in the trace, and
 * AccessDeniedException in AWS's words when the answer is no.
 *
 * Permission names follow the API reference's "Required permissions": kms:<Action>, except
 * ReEncrypt (kms:ReEncryptFrom on the source key, kms:ReEncryptTo on the destination).
 */
import { AwsError } from '../errors';
import type { RequestContext } from '../world';
import { accessDeniedMessage, decide, recordDecision, type Decision } from '../iam/authorize';
import { parsePolicy, type PolicyDocument } from '../iam/policy/document';
import type { CallerIdentity, ConditionContext, EvalRequest } from '../iam/policy/evaluate';
import { SESSION_NAME } from '../cloudtrail';
import type { KmsKey } from './key';
import { grantFailure, grantOperationOf, isGrantee } from './grants';
import { checkPolicySize } from './policy';

export interface AuthorizeOptions {
  /** Defaults to `kms:<Action>`. */
  permission?: string;
  /** The key the request is about (absent for IAM-only actions like CreateKey). */
  key?: KmsKey;
  /** Resource ARN when it is not the key (an alias ARN for the alias actions), else the key ARN or `*`. */
  resource?: string;
  /** The alias name the request used to name the key (kms:RequestAlias). */
  requestAlias?: string;
  /** Extra condition keys (e.g. kms:ReEncryptOnSameKey). */
  extra?: Record<string, string | string[]>;
}

/** The caller as policies see it: an assumed-role session acts as its role. */
export function callerIdentity(ctx: RequestContext): CallerIdentity {
  const p = ctx.principal;
  if (p.type === 'AWSService') return { arn: p.arn, account: p.account, type: 'AWSService' };
  const c: CallerIdentity = { arn: p.arn, account: p.account, type: p.type };
  if (p.type === 'AssumedRole') c.sessionArn = ctx.callerArn.startsWith('arn:aws:sts::') ? ctx.callerArn : sessionArnOf(p.arn);
  return c;
}

function sessionArnOf(roleArn: string): string {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${SESSION_NAME}` : roleArn;
}

/** Runs the evaluation, records it in the trace, and throws AccessDeniedException on a denial. */
export function authorizeKms(ctx: RequestContext, opts: AuthorizeOptions = {}): Decision {
  const permission = opts.permission ?? `kms:${ctx.action}`;
  if (!ctx.world.policyEvaluation) {
    // Evaluation switched off entirely (benchmarks measure what authorization costs this way).
    ctx.step({ node: 'IAM', step: 'authorized', decision: 'Allow', enforced: false, reason: POLICY_EVALUATION_OFF, permission });
    return OFF_DECISION;
  }
  const key = opts.key;
  const resource = opts.resource ?? key?.arn ?? '*';
  const caller = callerIdentity(ctx);
  const request: EvalRequest = { caller, action: permission, resource, context: conditionContext(ctx, permission, key, opts) };
  const world = ctx.world;
  const identityPolicies = caller.type === 'AWSService' ? [] : world.iam.identityPolicies(caller.arn);
  let decision: Decision;
  if (key && !opts.resource) {
    const op = grantOperationOf(permission);
    const tokens = (ctx.input as { GrantTokens?: string[] } | undefined)?.GrantTokens;
    if (tokens?.length && tokens.some((t) => !world.kms.isGrantToken(t))) {
      // Wording not recorded in our references.
      throw new AwsError('InvalidGrantTokenException', 'The grant token is not valid.');
    }
    const context = encryptionContextFor(ctx, permission);
    const grants = op
      ? world.kms
          .grantsOf(key.arn)
          .filter((g) => isGrantee(g, caller.arn, caller.type === 'AWSService' ? caller.arn : undefined))
          .map((g) => {
            const failure = grantFailure(g, op, context, ctx.now.getTime(), tokens);
            return failure
              ? { source: `grant ${g.grantId.slice(0, 12)}…${g.name ? ` (${g.name})` : ''}`, failure }
              : { source: `grant ${g.grantId.slice(0, 12)}…${g.name ? ` (${g.name})` : ''}` };
          })
      : [];
    decision = decide({
      request,
      resourcePolicy: { source: 'key policy', statements: keyPolicyDoc(key.policy).statements },
      resourceAccount: key.account,
      identityPolicies,
      grants,
    });
  } else {
    // IAM-only permissions (kms:CreateKey, kms:ListKeys, …) and the alias half of the alias actions.
    decision = decide({ request, identityPolicies });
  }
  const allowed = recordDecision(ctx, decision, permission, resource);
  if (!allowed) {
    throw new AwsError('AccessDeniedException', accessDeniedMessage(caller.sessionArn ?? caller.arn, permission, resource, decision));
  }
  return decision;
}

export const POLICY_EVALUATION_OFF = 'Policy evaluation is switched off in this world: nothing was evaluated.';
const OFF_DECISION: Decision = { decision: 'Allow', rule: 'identity-allows', explanation: POLICY_EVALUATION_OFF, considered: [] };

const docCache = new Map<string, PolicyDocument>();

/** A key policy's parsed form (kept by text, so a request never parses JSON). */
export function keyPolicyDoc(text: string): PolicyDocument {
  let doc = docCache.get(text);
  if (!doc) {
    // Stored policies were checked when they were put; a failure here would be a bug.
    doc = parsePolicy(text, 'key');
    if (docCache.size > 500) docCache.clear();
    docCache.set(text, doc);
  }
  return doc;
}

/**
 * Checks a key policy the way PutKeyPolicy and CreateKey do: size, syntax, principals that
 * exist, and (unless bypassed) the lockout safety check: the caller must still be allowed to
 * call PutKeyPolicy under the new policy.
 */
export function checkNewKeyPolicy(
  ctx: RequestContext,
  text: string,
  keyArn: string,
  account: string,
  bypass: boolean | undefined,
): PolicyDocument {
  checkPolicySize(text);
  const world = ctx.world;
  const doc = parsePolicy(text, 'key', (arn) => world.iam.entityOf(arn) !== undefined);
  docCache.set(text, doc);
  if (!bypass) {
    const caller = callerIdentity(ctx);
    const d = decide({
      request: { caller, action: 'kms:PutKeyPolicy', resource: keyArn, context: conditionContext(ctx, 'kms:PutKeyPolicy', undefined, {}) },
      resourcePolicy: { source: 'new key policy', statements: doc.statements },
      resourceAccount: account,
      identityPolicies: caller.type === 'AWSService' ? [] : world.iam.identityPolicies(caller.arn),
    });
    if (d.decision === 'Deny') {
      throw new AwsError(
        'MalformedPolicyDocumentException',
        'The new key policy will not allow you to update the key policy in the future.',
      );
    }
  }
  return doc;
}

type Input = Record<string, unknown> & {
  EncryptionContext?: Record<string, string>;
  SourceEncryptionContext?: Record<string, string>;
  DestinationEncryptionContext?: Record<string, string>;
  Constraints?: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> };
};

/** The encryption context a permission is about (the source or destination one for ReEncrypt). */
function encryptionContextFor(ctx: RequestContext, permission: string): Record<string, string> | undefined {
  const input = (ctx.input ?? {}) as Input;
  if (permission === 'kms:ReEncryptFrom') return input.SourceEncryptionContext;
  if (permission === 'kms:ReEncryptTo') return input.DestinationEncryptionContext;
  if (ctx.action === 'CreateGrant') return input.Constraints?.EncryptionContextEquals ?? input.Constraints?.EncryptionContextSubset;
  return input.EncryptionContext;
}

const ALGORITHM_DEFAULTED = new Set(['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncrypt']);
const EC_PREFIX = 'kms:encryptioncontext:';

/**
 * The request's condition keys (reference/aws-facts.md §2.9), computed when a policy asks
 * for one: most statements have no conditions, and a hot path should not build them all.
 */
export function conditionContext(
  ctx: RequestContext,
  permission: string,
  key: KmsKey | undefined,
  opts: AuthorizeOptions,
): ConditionContext {
  const cache = new Map<string, string[] | undefined>();
  const extra = opts.extra && new Map(Object.entries(opts.extra).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
  return {
    get(k: string) {
      if (cache.has(k)) return cache.get(k);
      const v = extra?.get(k) ?? conditionValue(ctx, permission, key, opts, k);
      const out = v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)];
      cache.set(k, out);
      return out;
    },
  };
}

function conditionValue(ctx: RequestContext, permission: string, key: KmsKey | undefined, opts: AuthorizeOptions, k: string): unknown {
  const p = ctx.principal;
  const input = (ctx.input ?? {}) as Input;
  const service = p.type === 'AWSService';
  const action = ctx.action;
  if (k.startsWith(EC_PREFIX)) {
    const ec = encryptionContextFor(ctx, permission);
    if (!ec) return undefined;
    const name = k.slice(EC_PREFIX.length);
    // Key names compare without case (kms:EncryptionContext:Department matches "department").
    for (const [ek, ev] of Object.entries(ec)) if (ek.toLowerCase() === name) return ev;
    return undefined;
  }
  switch (k) {
    case 'aws:principalarn':
      return service ? undefined : p.arn;
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return service ? undefined : p.account;
    case 'aws:principalservicename':
      return service ? p.arn : undefined;
    case 'aws:sourceaccount':
      return service ? ctx.sourceAccount : undefined;
    case 'aws:sourcearn':
      return service ? ctx.sourceArn : undefined;
    case 'aws:securetransport':
      return ctx.secureTransport ? 'true' : 'false';
    case 'aws:currenttime':
      return ctx.now.toISOString();
    case 'aws:epochtime':
      return Math.floor(ctx.now.getTime() / 1000);
    case 'aws:requestedregion':
      return ctx.region;
    case 'aws:sourceip':
      return '203.0.113.10';
    case 'aws:viaawsservice':
      return ctx.via ? 'true' : 'false';
    case 'kms:viaservice':
      return ctx.via ? `${ctx.via}.${ctx.region}.amazonaws.com` : undefined;
    case 'kms:encryptioncontextkeys': {
      const ec = encryptionContextFor(ctx, permission);
      return ec ? Object.keys(ec) : undefined;
    }
    case 'kms:encryptionalgorithm': {
      const alg =
        permission === 'kms:ReEncryptFrom'
          ? input.SourceEncryptionAlgorithm
          : permission === 'kms:ReEncryptTo'
            ? input.DestinationEncryptionAlgorithm
            : input.EncryptionAlgorithm;
      return alg ?? (ALGORITHM_DEFAULTED.has(action) && (!key || key.keySpec === 'SYMMETRIC_DEFAULT') ? 'SYMMETRIC_DEFAULT' : undefined);
    }
    case 'kms:signingalgorithm':
      return input.SigningAlgorithm;
    case 'kms:macalgorithm':
      return input.MacAlgorithm;
    case 'kms:messagetype':
      return action === 'Sign' || action === 'Verify' ? (input.MessageType ?? 'RAW') : undefined;
    case 'kms:datakeypairspec':
      return input.KeyPairSpec;
    case 'kms:grantoperations':
      return action === 'CreateGrant' ? input.Operations : undefined;
    case 'kms:granteeprincipal':
      return action === 'CreateGrant' ? input.GranteePrincipal : undefined;
    case 'kms:retiringprincipal':
      return action === 'CreateGrant' ? input.RetiringPrincipal : undefined;
    case 'kms:grantconstrainttype':
      return action === 'CreateGrant' && input.Constraints ? Object.keys(input.Constraints) : undefined;
    case 'kms:grantisforawsresource':
      return action === 'CreateGrant' ? (ctx.via ? 'true' : 'false') : undefined;
    case 'kms:bypasspolicylockoutsafetycheck':
      return action === 'CreateKey' || action === 'PutKeyPolicy' ? (input.BypassPolicyLockoutSafetyCheck ? 'true' : 'false') : undefined;
    case 'kms:rotationperiodindays':
      return action === 'EnableKeyRotation' ? (input.RotationPeriodInDays ?? 365) : undefined;
    case 'kms:schedulekeydeletionpendingwindowindays':
      return action === 'ScheduleKeyDeletion' ? (input.PendingWindowInDays ?? 30) : undefined;
    case 'kms:keyspec':
      return key ? key.keySpec : action === 'CreateKey' ? (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') : undefined;
    case 'kms:keyusage':
      return key ? key.keyUsage : action === 'CreateKey' ? (input.KeyUsage ?? 'ENCRYPT_DECRYPT') : undefined;
    case 'kms:keyorigin':
      return key ? key.origin : action === 'CreateKey' ? (input.Origin ?? 'AWS_KMS') : undefined;
    case 'kms:multiregion':
      return key ? String(key.multiRegion) : action === 'CreateKey' ? String(!!input.MultiRegion) : undefined;
    case 'kms:multiregionkeytype':
      return key?.multiRegion ? 'PRIMARY' : undefined;
    case 'kms:resourcealiases':
      return key ? ctx.world.kms.aliasNamesOf(key) : undefined;
    case 'kms:requestalias':
      return opts.requestAlias;
    default:
      return undefined;
  }
}
