/**
 * Input validation in AWS's words. Schema constraints from the KMS model produce
 * `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: ...`,
 * with the member in lower camel case. A value of the wrong JSON type never reaches KMS in
 * AWS (the SDK or the JSON protocol refuses it); here it gets `SerializationException`.
 * Service rules (7-30 day windows, RSA plaintext limits) live with their actions.
 */
import { AwsError, validationErrors, type ConstraintViolation } from '../errors';

export type Member =
  | { t: 'string'; min?: number; max?: number; required?: boolean }
  | { t: 'blob'; min?: number; max?: number; required?: boolean }
  | { t: 'int'; min?: number; max?: number; required?: boolean }
  | { t: 'bool'; required?: boolean }
  | { t: 'enum'; values: readonly string[]; required?: boolean }
  | { t: 'context' }
  | { t: 'strings'; min?: number; max?: number; itemMax?: number; required?: boolean }
  | { t: 'tags'; required?: boolean };

export type Shape = Record<string, Member>;

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function serialization(member: string): AwsError {
  return new AwsError('SerializationException', `Unexpected value type for field '${member}'`);
}

/** Checks `input` against `shape`; throws the AWS error for the first failure class found. */
export function validate(input: unknown, shape: Shape): void {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  const rec = input as Record<string, unknown>;
  const v: ConstraintViolation[] = [];
  for (const [name, m] of Object.entries(shape)) {
    const value = rec[name];
    const member = camel(name);
    if (value === undefined || value === null) {
      if ('required' in m && m.required) v.push({ member, value: null, constraint: 'Member must not be null' });
      continue;
    }
    switch (m.t) {
      case 'string':
        if (typeof value !== 'string') throw serialization(name);
        if (m.min !== undefined && value.length < m.min)
          v.push({ member, value, constraint: `Member must have length greater than or equal to ${m.min}` });
        if (m.max !== undefined && value.length > m.max)
          v.push({ member, value, constraint: `Member must have length less than or equal to ${m.max}` });
        break;
      case 'blob':
        if (!(value instanceof Uint8Array)) throw serialization(name);
        if (m.min !== undefined && value.length < m.min)
          v.push({ member, value, hideValue: true, constraint: `Member must have length greater than or equal to ${m.min}` });
        if (m.max !== undefined && value.length > m.max)
          v.push({ member, value, hideValue: true, constraint: `Member must have length less than or equal to ${m.max}` });
        break;
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(name);
        if (m.min !== undefined && value < m.min)
          v.push({ member, value, constraint: `Member must have value greater than or equal to ${m.min}` });
        if (m.max !== undefined && value > m.max)
          v.push({ member, value, constraint: `Member must have value less than or equal to ${m.max}` });
        break;
      case 'bool':
        if (typeof value !== 'boolean') throw serialization(name);
        break;
      case 'enum':
        if (typeof value !== 'string') throw serialization(name);
        if (!m.values.includes(value))
          v.push({ member, value, constraint: `Member must satisfy enum value set: [${m.values.join(', ')}]` });
        break;
      case 'context':
        if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw serialization(name);
        for (const x of Object.values(value as object)) if (typeof x !== 'string') throw serialization(name);
        break;
      case 'strings': {
        if (!Array.isArray(value)) throw serialization(name);
        if (value.some((x) => typeof x !== 'string')) throw serialization(name);
        if (m.min !== undefined && value.length < m.min)
          v.push({ member, value, constraint: `Member must have length greater than or equal to ${m.min}` });
        if (m.max !== undefined && value.length > m.max)
          v.push({ member, value, constraint: `Member must have length less than or equal to ${m.max}` });
        if (m.itemMax !== undefined) {
          value.forEach((x: string, i) => {
            if (x.length > m.itemMax!)
              v.push({
                member: `${member}.${i + 1}.member`,
                value: x,
                constraint: `Member must have length less than or equal to ${m.itemMax}`,
              });
            if (x.length < 1)
              v.push({ member: `${member}.${i + 1}.member`, value: x, constraint: 'Member must have length greater than or equal to 1' });
          });
        }
        break;
      }
      case 'tags': {
        if (!Array.isArray(value)) throw serialization(name);
        value.forEach((t: unknown, i) => {
          if (t === null || typeof t !== 'object') throw serialization(name);
          const { TagKey, TagValue } = t as Record<string, unknown>;
          const base = `tags.${i + 1}.member`;
          if (TagKey === undefined || TagKey === null)
            v.push({ member: `${base}.tagKey`, value: null, constraint: 'Member must not be null' });
          else if (typeof TagKey !== 'string') throw serialization(name);
          else {
            if (TagKey.length > 128)
              v.push({ member: `${base}.tagKey`, value: TagKey, constraint: 'Member must have length less than or equal to 128' });
            if (TagKey.length < 1)
              v.push({ member: `${base}.tagKey`, value: TagKey, constraint: 'Member must have length greater than or equal to 1' });
          }
          if (TagValue === undefined || TagValue === null)
            v.push({ member: `${base}.tagValue`, value: null, constraint: 'Member must not be null' });
          else if (typeof TagValue !== 'string') throw serialization(name);
          else if (TagValue.length > 256)
            v.push({ member: `${base}.tagValue`, value: TagValue, constraint: 'Member must have length less than or equal to 256' });
        });
        break;
      }
    }
  }
  if (v.length) throw validationErrors(v);
}

// Members shared by many actions (ranges from the KMS model).
export const KeyIdM: Member = { t: 'string', min: 1, max: 2048, required: true };
export const OptKeyIdM: Member = { t: 'string', min: 1, max: 2048 };
export const GrantTokensM: Member = { t: 'strings', min: 0, max: 10, itemMax: 8192 };
export const DryRunM: Member = { t: 'bool' };
export const LimitM = (max: number): Member => ({ t: 'int', min: 1, max });
export const MarkerM: Member = { t: 'string', min: 1, max: 1024 };
