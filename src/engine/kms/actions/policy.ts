/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies. Every key has exactly one policy, named "default". */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import { checkNewKeyPolicy } from '../authorize';
import type { KmsInput, KmsOutput } from '../shapes';
import { KeyIdM, LimitM, MarkerM, validate } from '../validate';
import { MANAGE, useKey } from './common';

const PolicyNameM = { t: 'string', min: 1, max: 128 } as const;

function checkName(name: string | undefined): void {
  // Wording as LocalStack's AWS-validated tests record it.
  if (name !== undefined && name !== 'default') throw new AwsError('NotFoundException', 'No such policy exists');
}

export async function GetKeyPolicy(rc: RequestContext, input: KmsInput<'GetKeyPolicy'>): Promise<KmsOutput<'GetKeyPolicy'>> {
  validate(input, { KeyId: KeyIdM, PolicyName: PolicyNameM });
  checkName(input.PolicyName);
  const key = useKey(rc, input.KeyId, MANAGE);
  return { Policy: key.policy, PolicyName: 'default' };
}

export async function PutKeyPolicy(rc: RequestContext, input: KmsInput<'PutKeyPolicy'>): Promise<KmsOutput<'PutKeyPolicy'>> {
  validate(input, {
    KeyId: KeyIdM,
    PolicyName: PolicyNameM,
    Policy: { t: 'string', min: 1, max: 131072, required: true },
    BypassPolicyLockoutSafetyCheck: { t: 'bool' },
  });
  checkName(input.PolicyName);
  const key = useKey(rc, input.KeyId, MANAGE);
  checkNewKeyPolicy(rc, input.Policy, key.arn, key.account, input.BypassPolicyLockoutSafetyCheck);
  key.policy = input.Policy;
  return {};
}

export async function ListKeyPolicies(rc: RequestContext, input: KmsInput<'ListKeyPolicies'>): Promise<KmsOutput<'ListKeyPolicies'>> {
  validate(input, { KeyId: KeyIdM, Limit: LimitM(1000), Marker: MarkerM });
  useKey(rc, input.KeyId, MANAGE);
  return { PolicyNames: ['default'], Truncated: false };
}
