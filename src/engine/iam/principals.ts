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
  type: 'Root' | 'IAMUser' | 'AssumedRole';
  /** Short label for the UI. */
  label: string;
}

export function defaultPrincipals(): Principal[] {
  const mk = (account: string, type: Principal['type'], arn: string, label: string): Principal => ({ arn, account, type, label });
  return [
    mk(HOME_ACCOUNT, 'Root', `arn:aws:iam::${HOME_ACCOUNT}:root`, 'Account root'),
    mk(HOME_ACCOUNT, 'AssumedRole', `arn:aws:iam::${HOME_ACCOUNT}:role/Admin`, 'Admin'),
    mk(HOME_ACCOUNT, 'AssumedRole', `arn:aws:iam::${HOME_ACCOUNT}:role/Developer`, 'Developer'),
    mk(HOME_ACCOUNT, 'AssumedRole', `arn:aws:iam::${HOME_ACCOUNT}:role/AppRole`, 'Application role'),
    mk(OTHER_ACCOUNT, 'Root', `arn:aws:iam::${OTHER_ACCOUNT}:root`, 'Other account root'),
    mk(OTHER_ACCOUNT, 'AssumedRole', `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`, 'Partner role (444455556666)'),
  ];
}

/** The account a principal ARN belongs to, or undefined when it is not an IAM/STS ARN. */
export function accountOf(principalArn: string): string | undefined {
  const m = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principalArn);
  return m?.[1];
}
