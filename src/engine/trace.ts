/**
 * What a call passed through, step by step. The UI animates these; tests assert on them.
 * A trace never carries key material, plaintext or ciphertext bytes: only sizes, ids and names.
 */
import type { ConsideredStatement, DecisionRule } from './iam/authorize';

export type FlowNode = 'Client' | 'IAM' | 'KMS' | 'HSM' | 'CloudTrail' | 'S3';

interface StepBase {
  /** Virtual time (ms since epoch) when the step happened. */
  at: number;
  node: FlowNode;
}

export type TraceStep = StepBase &
  (
    | { step: 'request'; service: string; action: string; region: string; principal: string }
    | { step: 'authenticated'; principal: string; account: string }
    | {
        step: 'authorized';
        decision: 'Allow' | 'Deny';
        /** False in permissive mode: the evaluation is shown, but nothing is denied. */
        enforced: boolean;
        /** What the policies decided, enforced or not (in permissive mode `decision` is Allow). */
        evaluated?: 'Allow' | 'Deny';
        /** The sentence that explains the decision. */
        reason: string;
        /** The permission checked, e.g. kms:Encrypt (kms:ReEncryptFrom for ReEncrypt's source key). */
        permission?: string;
        resource?: string;
        rule?: DecisionRule;
        /** Every statement that was considered: key policy, identity policies, grants. */
        considered?: ConsideredStatement[];
      }
    | {
        step: 'throttled';
        /** The quota's name as Service Quotas shows it, and its rate: the request was over it. */
        quota: string;
        perSecond: number;
      }
    | { step: 'key-resolved'; keyArn: string; via: 'key-id' | 'key-arn' | 'alias-name' | 'alias-arn' | 'ciphertext' }
    | { step: 'key-state-checked'; keyArn: string; keyState: string; allowed: boolean }
    | { step: 'state-changed'; keyArn: string; from: string; to: string }
    | {
        step: 'crypto';
        /** What the HSM did, in words: 'AES-256-GCM encrypt', 'RSASSA-PSS sign', ... */
        operation: string;
        algorithm: string;
        bytesIn: number;
        bytesOut: number;
        keyMaterialId?: string;
        /** Encryption context keys bound as AAD (values are in CloudTrail, not secret). */
        aad?: string[];
        ok: boolean;
        /** Why it failed, for the explanation panel (never an API message). */
        detail?: string;
      }
    | {
        step: 'flow';
        /** The XState machine the request moves through (s3/flows.ts), and the state it reached. */
        machine: string;
        state: string;
        description?: string;
        /** The machine's mode once known (S3: SSE-S3, SSE-KMS, SSE-KMS-BucketKey, DSSE-KMS, SSE-C). */
        mode?: string;
      }
    | { step: 'audited'; eventId: string; eventName: string }
    | { step: 'answered' }
    | { step: 'failed'; errorCode: string; message: string }
  );

export type TraceStepKind = TraceStep['step'];

export interface Trace {
  requestId: string;
  service: string;
  action: string;
  region: string;
  principal: string;
  steps: TraceStep[];
}
