/**
 * The accounts and principals every new world has. Account 111122223333 is "yours";
 * 444455556666 is the second account used for cross-account lessons.
 */
export const HOME_ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const DEFAULT_REGION = 'us-east-1';

export const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

export type Region = (typeof REGIONS)[number];

export interface Principal {
  arn: string;
  account: string;
  /** CloudTrail userIdentity.type */
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'AWSService';
  /** Short label for the UI. */
  label: string;
}

/** The root users of the two accounts. Users and roles live in IAM (iam/service.ts). */
export function rootPrincipals(): Principal[] {
  return [
    { arn: `arn:aws:iam::${HOME_ACCOUNT}:root`, account: HOME_ACCOUNT, type: 'Root', label: 'Account root' },
    { arn: `arn:aws:iam::${OTHER_ACCOUNT}:root`, account: OTHER_ACCOUNT, type: 'Root', label: 'Other account root' },
  ];
}

/** Service principals a lesson can call as (`logs.us-east-1.amazonaws.com`, `s3.amazonaws.com`). */
export function servicePrincipal(name: string): Principal | undefined {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(name)) return undefined;
  return { arn: name, account: '', type: 'AWSService', label: name };
}

/** The account a principal ARN belongs to, or undefined when it is not an IAM/STS ARN. */
export function accountOf(principalArn: string): string | undefined {
  const m = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principalArn);
  return m?.[1];
}
