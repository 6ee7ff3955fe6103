/**
 * The pure part of the flow view: which nodes a call's trace passed through, in order,
 * where it paused for a decision, and how each step reads as a sentence (the text
 * equivalent of the animation). No DOM here, so it is unit-tested in Node.
 */
import type { FlowNode, Trace, TraceStep } from '../engine/trace';
import type { DecisionRule } from '../engine/iam/authorize';

export const FLOW_NODES: readonly FlowNode[] = ['Client', 'IAM', 'KMS', 'HSM', 'CloudTrail'];
/** Every node the view can draw: S3 joins when a trace passes through it (or a page asks for it). */
export const ALL_FLOW_NODES: readonly FlowNode[] = [...FLOW_NODES, 'S3'];

/** The nodes to draw for a trace: the KMS path, plus S3 when one of its steps happened there. */
export function flowNodesFor(trace: Trace | null, alwaysS3 = false): FlowNode[] {
  const s3 = alwaysS3 || !!trace?.steps.some((s) => s.node === 'S3');
  return s3 ? [...ALL_FLOW_NODES] : [...FLOW_NODES];
}

/** Node centres in the flow view's viewBox (FLOW_WIDTH × FLOW_HEIGHT). */
export const FLOW_WIDTH = 760;
export const FLOW_HEIGHT = 300;
export const NODE_W = 128;
export const NODE_H = 54;
export const NODE_POS: Record<FlowNode, { x: number; y: number }> = {
  Client: { x: 76, y: 136 },
  IAM: { x: 240, y: 136 },
  KMS: { x: 430, y: 136 },
  HSM: { x: 430, y: 246 },
  CloudTrail: { x: 680, y: 136 },
  S3: { x: 240, y: 246 },
};

export type Outcome = 'ok' | 'fail';

export interface Hop {
  /** The node the token travels to. */
  node: FlowNode;
  /** Indexes into trace.steps handled at this node (empty for the final return to the client). */
  steps: number[];
  /** True when a decision is made here (authorization, key state, crypto, the answer). */
  decision: boolean;
  /** Set when one of this hop's steps failed (a Deny, a refused key state, a failed crypto check). */
  failed: boolean;
  /** A short badge for the node ("Allow", "Enabled ✓", "AES-256-GCM encrypt ✗"). */
  badge: string;
  /** The last hop returns to the client carrying the answer. */
  final?: { outcome: Outcome; label: string };
}

const DECISIONS = new Set<TraceStep['step']>(['authorized', 'throttled', 'key-state-checked', 'crypto', 'failed', 'answered']);

/** The rules that end in a denial: in permissive mode the step says Allow, but enforced it would be Deny. */
const DENY_RULES = new Set<DecisionRule>(['explicit-deny', 'no-resource-policy-allow', 'no-identity-policy-allow']);

/** What the policies decided, whether or not it was enforced (permissive mode allows everything). */
export function evaluatedDecision(s: TraceStep & { step: 'authorized' }): 'Allow' | 'Deny' {
  if (s.decision === 'Deny') return 'Deny';
  return s.rule && DENY_RULES.has(s.rule) ? 'Deny' : 'Allow';
}

export function stepFailed(s: TraceStep): boolean {
  switch (s.step) {
    case 'authorized':
      return s.decision === 'Deny';
    case 'key-state-checked':
      return !s.allowed;
    case 'crypto':
      return !s.ok;
    case 'throttled':
    case 'failed':
      return true;
    default:
      return false;
  }
}

/** A badge for one step: the thing worth reading on the node while the token pauses there. */
export function stepBadge(s: TraceStep): string {
  switch (s.step) {
    case 'request':
      return s.action;
    case 'authenticated':
      return 'authenticated';
    case 'authorized':
      if (s.enforced) return s.decision;
      return evaluatedDecision(s) === 'Deny' ? 'Allow (would be Deny)' : 'Allow (permissive)';
    case 'throttled':
      return `over ${s.perSecond}/s ✗`;
    case 'key-resolved':
      return `key via ${s.via}`;
    case 'key-state-checked':
      return `${s.keyState} ${s.allowed ? '✓' : '✗'}`;
    case 'state-changed':
      return `${s.from} → ${s.to}`;
    case 'flow':
      return s.state;
    case 'crypto':
      return `${s.operation} ${s.ok ? '✓' : '✗'}`;
    case 'audited':
      return s.eventName;
    case 'answered':
      return 'answered';
    case 'failed':
      return s.errorCode;
  }
}

/** The trace's outcome: the error code when it failed, otherwise ok. */
export function traceOutcome(trace: Trace): { outcome: Outcome; label: string } {
  const failed = trace.steps.find((s) => s.step === 'failed');
  if (failed && failed.step === 'failed') return { outcome: 'fail', label: failed.errorCode };
  return { outcome: 'ok', label: `${trace.action} answered` };
}

/**
 * Groups consecutive steps by node into hops, then adds the return to the client.
 * The first hop is the client sending the request (the token starts there).
 */
export function flowPlan(trace: Trace): Hop[] {
  const hops: Hop[] = [];
  // A request IAM denies never reaches KMS: the token stops at IAM, CloudTrail records the
  // denial, and the error goes back to the client (its 'failed' step rides on the final hop).
  const denied = trace.steps.some((s) => s.step === 'authorized' && s.decision === 'Deny');
  // Another service's call (IAM) is answered by that service, not by KMS: its answer rides back
  // on the final hop too, so the token never enters the KMS box.
  const otherService = trace.service !== 'kms';
  const carried: number[] = [];
  trace.steps.forEach((s, i) => {
    if ((denied || otherService) && (s.step === 'failed' || (otherService && s.step === 'answered'))) {
      carried.push(i);
      return;
    }
    const last = hops[hops.length - 1];
    if (last && last.node === s.node && !last.final) {
      last.steps.push(i);
      last.decision ||= DECISIONS.has(s.step);
      last.failed ||= stepFailed(s);
    } else {
      hops.push({ node: s.node, steps: [i], decision: DECISIONS.has(s.step), failed: stepFailed(s), badge: '' });
    }
  });
  for (const h of hops) {
    // The badge shows the most telling step: a failing one, else the last decision, else the last step.
    const steps = h.steps.map((i) => trace.steps[i]!);
    const pick = steps.find(stepFailed) ?? [...steps].reverse().find((s) => DECISIONS.has(s.step)) ?? steps[steps.length - 1];
    h.badge = pick ? stepBadge(pick) : '';
  }
  const final = traceOutcome(trace);
  hops.push({ node: 'Client', steps: carried, decision: false, failed: final.outcome === 'fail', badge: final.label, final });
  return hops;
}

/** Who is acting, in words ("Admin (111122223333)") from a principal ARN. */
export function principalWords(arn: string): string {
  const m = /^arn:aws:(?:iam|sts)::(\d{12}):(root|role\/(.+)|user\/(.+)|assumed-role\/([^/]+)\/.+)$/.exec(arn);
  if (!m) return arn;
  const name = m[2] === 'root' ? 'account root' : (m[3] ?? m[4] ?? m[5] ?? m[2]);
  return `${name} (${m[1]})`;
}

/** One step as a sentence, for the ordered list beside the animation and for screen readers. */
export function describeStep(s: TraceStep, service = 'kms'): string {
  const answerer = service === 'kms' ? 'KMS' : service.toUpperCase();
  switch (s.step) {
    case 'request':
      return `Client: ${principalWords(s.principal)} sends ${s.action} to ${s.service.toUpperCase()} in ${s.region}.`;
    case 'authenticated':
      return `IAM: request signature accepted; caller is ${principalWords(s.principal)}.`;
    case 'authorized': {
      const what = s.permission ? ` for ${s.permission}` : '';
      return s.enforced
        ? `IAM: authorization${what}: ${s.decision}. ${s.reason}`
        : `IAM: authorization${what}: Allow (permissive mode${evaluatedDecision(s) === 'Deny' ? '; would be Deny' : ''}). ${s.reason}`;
    }
    case 'throttled':
      return `KMS: the account is over its "${s.quota}" quota (${s.perSecond} per second) in this Region; the request is refused.`;
    case 'key-resolved':
      return `KMS: finds the key by ${s.via.replace('-', ' ')}: ${s.keyArn}.`;
    case 'key-state-checked':
      return `KMS: key state is ${s.keyState}; ${s.allowed ? 'the action is allowed in this state' : 'the action is NOT allowed in this state'}.`;
    case 'state-changed':
      return `KMS: key state changes from ${s.from} to ${s.to}.`;
    case 'flow':
      return `${s.node}: ${s.state}${s.description ? `. ${s.description}` : '.'}`;
    case 'crypto': {
      const aad = s.aad && s.aad.length ? `; encryption context (${s.aad.join(', ')}) bound as AAD` : '';
      const detail = s.detail ? ` (${s.detail})` : '';
      return `HSM: ${s.operation} with ${s.algorithm}, ${s.bytesIn} bytes in, ${s.bytesOut} bytes out${aad}: ${s.ok ? 'succeeded' : 'FAILED'}${detail}.`;
    }
    case 'audited':
      return `CloudTrail: records the ${s.eventName} event (${s.eventId}).`;
    case 'answered':
      return `${answerer}: answers with the response (HTTP 200).`;
    case 'failed':
      return `${answerer}: answers with ${s.errorCode}${s.message ? `: ${s.message}` : ' (empty message)'}.`;
  }
}

/** How long to pause at a hop's node, in ms at speed 1. */
export function pauseMs(h: Hop): number {
  return h.final ? 500 : h.decision ? 750 : 250;
}

export const TRAVEL_MS = 550;

/** The motion path between two node centres; returning to the client arcs over the top. */
export function hopPath(from: FlowNode, to: FlowNode): string {
  const a = NODE_POS[from];
  const b = NODE_POS[to];
  if (from === to) return `M${a.x},${a.y}`;
  if (to === 'Client' && from !== 'IAM') {
    const top = 34;
    return `M${a.x},${a.y - NODE_H / 2} C${a.x},${top} ${b.x},${top} ${b.x},${b.y - NODE_H / 2}`;
  }
  return `M${a.x},${a.y} L${b.x},${b.y}`;
}
