/**
 * kms-lab's engine: a simulated AWS world that speaks the AWS API. Pure TypeScript: it never
 * touches the DOM, Svelte or D3, so it runs in the page, in a worker and under Vitest alike.
 */
export { createWorld, World, DEFAULT_START } from './world';
export type { CallRecord, ClientOptions, KmsClient, RequestContext, WorldOptions, WorldSnapshot } from './world';
export { AwsError, isAwsError } from './errors';
export { VirtualClock, type Duration } from './clock';
export type { Trace, TraceStep, FlowNode } from './trace';
export type { CloudTrailEvent } from './cloudtrail';
export { HOME_ACCOUNT, OTHER_ACCOUNT, DEFAULT_REGION, REGIONS, type Principal } from './iam/principals';
export * from './kms/shapes';
export { KMS_ACTION_NAMES } from './kms/actions';
export { describeCiphertext, parseBlob, type AnatomyField } from './kms/ciphertext';
export { keyLifecycleMachine } from './kms/lifecycle';
export { checkNewAliasName } from './kms/actions/aliases';
export type { KmsKey } from './kms/key';
export { FIDELITY_NOTES, type FidelityNote } from './kms/fidelity';
