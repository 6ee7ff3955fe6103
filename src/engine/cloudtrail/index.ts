/**
 * CloudTrail: every call becomes an event shaped like the real record
 * (reference/aws-facts.md §2.12). Blobs (plaintext, ciphertext, signatures) are never logged;
 * the encryption context is, in plain text, as in AWS.
 */
import type { Principal } from '../iam/principals';

export interface CloudTrailUserIdentity {
  type: Principal['type'] | 'AWSService';
  principalId: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  invokedBy?: string;
  sessionContext?: {
    sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
    attributes: { creationDate: string; mfaAuthenticated: 'false' | 'true' };
  };
}

export interface CloudTrailEvent {
  eventVersion: '1.11';
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: string; ARN: string }[];
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  /** S3 object-level calls are data events (logged only by trails that ask for them). */
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management' | 'Data';
}

/** CloudTrail writes times to the second, in UTC, with a Z. */
let lastSecond = NaN;
let lastText = '';
export function cloudTrailTime(d: Date): string {
  // Thousands of calls share one virtual second: format it once.
  const s = Math.floor(d.getTime() / 1000);
  if (s !== lastSecond) {
    lastSecond = s;
    lastText = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastText;
}

export const SESSION_NAME = 'kms-lab';

export function userIdentityOf(p: Principal, now: Date): CloudTrailUserIdentity {
  if (p.type === 'AWSService') return { type: 'AWSService', principalId: '', invokedBy: p.arn };
  if (p.type === 'Root') {
    return { type: 'Root', principalId: p.account, arn: p.arn, accountId: p.account, accessKeyId: 'ASIAKMSLABROOTEXAMPLE' };
  }
  const name = p.arn.split('/').pop() ?? 'role';
  const roleId = `AROA${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17)}`;
  if (p.type === 'IAMUser') {
    return {
      type: 'IAMUser',
      principalId: roleId.replace(/^AROA/, 'AIDA'),
      arn: p.arn,
      accountId: p.account,
      accessKeyId: 'AKIAKMSLABEXAMPLE',
    };
  }
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${SESSION_NAME}`,
    arn: `arn:aws:sts::${p.account}:assumed-role/${name}/${SESSION_NAME}`,
    accountId: p.account,
    accessKeyId: 'ASIAKMSLABEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: p.arn, accountId: p.account, userName: name },
      attributes: { creationDate: cloudTrailTime(now), mfaAuthenticated: 'false' },
    },
  };
}

/** Keeps the most recent events, oldest first (a trail's S3 prefix, in memory). */
export class CloudTrailLog {
  readonly events: CloudTrailEvent[] = [];
  constructor(readonly capacity = 5000) {}

  put(e: CloudTrailEvent): void {
    this.events.push(e);
    // Trim in batches so that a long run does not shift the whole array on every call.
    if (this.events.length > this.capacity + this.capacity / 4) this.events.splice(0, this.events.length - this.capacity);
  }

  lookup(filter: { eventName?: string; resourceArn?: string } = {}): CloudTrailEvent[] {
    return this.events.filter(
      (e) =>
        (!filter.eventName || e.eventName === filter.eventName) &&
        (!filter.resourceArn || (e.resources ?? []).some((r) => r.ARN === filter.resourceArn)),
    );
  }
}
