/**
 * The request flow of an S3 PutObject in each encryption mode, as an XState machine. The
 * machine is the rule: S3's PutObject moves through it step by step (s3/actions.ts) and
 * refuses a step the machine does not allow; the page draws each mode's flow from this
 * definition; tests walk every path with xstate/graph.
 */
import { setup, transition, type SnapshotFrom } from 'xstate';

export type S3FlowMode = 'SSE-S3' | 'SSE-KMS' | 'SSE-KMS-BucketKey' | 'DSSE-KMS' | 'SSE-C';

export interface S3FlowContext {
  mode: S3FlowMode;
  /** With a Bucket Key: S3 holds a fresh bucket-level key for this bucket, KMS key and requester. */
  bucketKeyHeld: boolean;
}

export type S3FlowEvent =
  | { type: 'HEADERS_OK' }
  | { type: 'HEADERS_INVALID' }
  | { type: 'ALLOW' }
  | { type: 'DENY' }
  | { type: 'KEY_READY' }
  | { type: 'KMS_ERROR' }
  | { type: 'ENCRYPTED' };

export const s3PutFlowMachine = setup({
  types: { context: {} as S3FlowContext, events: {} as S3FlowEvent, input: {} as S3FlowContext },
  guards: {
    sseS3: ({ context }) => context.mode === 'SSE-S3',
    sseC: ({ context }) => context.mode === 'SSE-C',
    bucketKeyHeld: ({ context }) => context.mode === 'SSE-KMS-BucketKey' && context.bucketKeyHeld,
    bucketKey: ({ context }) => context.mode === 'SSE-KMS-BucketKey',
    dsse: ({ context }) => context.mode === 'DSSE-KMS',
  },
}).createMachine({
  id: 's3PutObject',
  context: ({ input }) => input,
  initial: 'Request',
  states: {
    Request: {
      description: 'S3 reads the encryption headers (or the bucket default applies later).',
      on: { HEADERS_OK: 'Authorizing', HEADERS_INVALID: 'Rejected' },
    },
    Authorizing: {
      description: "IAM policies and the bucket policy decide, seeing only the request's headers.",
      on: {
        DENY: 'Denied',
        ALLOW: [
          { guard: 'sseS3', target: 'S3DataKey' },
          { guard: 'sseC', target: 'CustomerKey' },
          { guard: 'bucketKeyHeld', target: 'DeriveFromBucketKey' },
          { guard: 'bucketKey', target: 'GenerateBucketKey' },
          { target: 'GenerateDataKey' },
        ],
      },
    },
    S3DataKey: { description: 'A fresh data key, wrapped by the S3 root key. No KMS call.', on: { KEY_READY: 'Encrypting' } },
    CustomerKey: { description: "The caller's key from the request; S3 keeps only a salted HMAC of it.", on: { KEY_READY: 'Encrypting' } },
    GenerateDataKey: {
      description: 'KMS GenerateDataKey as the requester, via s3, context aws:s3:arn = the object ARN.',
      on: { KEY_READY: 'Encrypting', KMS_ERROR: 'Failed' },
    },
    GenerateBucketKey: {
      description: 'KMS GenerateDataKey for a bucket-level key, context aws:s3:arn = the bucket ARN.',
      on: { KEY_READY: 'DeriveFromBucketKey', KMS_ERROR: 'Failed' },
    },
    DeriveFromBucketKey: {
      description: "The object's key is derived from the bucket-level key: no KMS call.",
      on: { KEY_READY: 'Encrypting' },
    },
    Encrypting: {
      description: 'AES-256-GCM over the object bytes.',
      on: { ENCRYPTED: [{ guard: 'dsse', target: 'SecondLayer' }, { target: 'Stored' }] },
    },
    SecondLayer: { description: 'DSSE-KMS: a second, S3-managed AES-256-GCM layer.', on: { ENCRYPTED: 'Stored' } },
    Stored: { type: 'final', description: 'Ciphertext and the wrapped key stored; the plaintext key forgotten.' },
    Rejected: { type: 'final', description: 'S3 refuses the headers (400).' },
    Denied: { type: 'final', description: 'AccessDenied (403).' },
    Failed: { type: 'final', description: 'KMS refused (a KMS.* error or 403).' },
  },
});

export type S3FlowState = keyof (typeof s3PutFlowMachine)['config']['states'] & string;

/** Steps one PutObject through the machine, refusing any step it does not allow. */
export class S3PutFlow {
  private snap: SnapshotFrom<typeof s3PutFlowMachine>;
  readonly path: string[] = [];

  constructor(context: S3FlowContext) {
    this.snap = s3PutFlowMachine.resolveState({ value: 'Request', context });
    this.path.push('Request');
  }

  get state(): string {
    return String(this.snap.value);
  }

  /** Sets the mode once the bucket default is known (before ALLOW). */
  setContext(context: S3FlowContext): void {
    this.snap = s3PutFlowMachine.resolveState({ value: this.snap.value, context });
  }

  send(event: S3FlowEvent): string {
    if (!this.snap.can(event)) throw new Error(`S3 flow: ${event.type} is not allowed in ${this.state}`);
    [this.snap] = transition(s3PutFlowMachine, this.snap, event);
    this.path.push(this.state);
    this.onState?.(this.state, describeState(this.state), this.snap.context.mode);
    return this.state;
  }

  /** Called with each state reached (the request's trace records it). */
  onState?: (state: string, description: string | undefined, mode: S3FlowMode) => void;
}

export function describeState(state: string): string | undefined {
  const states = s3PutFlowMachine.config.states as Record<string, { description?: string }>;
  return states[state]?.description;
}

/** The flow mode of an effective encryption mode. */
export function flowModeOf(mode: { mode: string; bucketKey?: boolean }): S3FlowMode {
  if (mode.mode === 'SSE-KMS' && mode.bucketKey) return 'SSE-KMS-BucketKey';
  return mode.mode as S3FlowMode;
}
