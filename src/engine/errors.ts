/**
 * AWS service errors. `name` is the AWS error code (what an SDK puts in `err.name`),
 * `message` is AWS's message text. Client errors travel as HTTP 400 on the wire
 * (observed from real KMS, see reference/kms-api.md §2.7), server faults as 500/503.
 */
export type AwsFault = 'client' | 'server';

const SERVER_FAULTS: Record<string, number> = {
  KMSInternalException: 500,
  KeyUnavailableException: 500,
  DependencyTimeoutException: 503,
  InternalFailure: 500,
};

/** What the AWS SDK for JavaScript v3 attaches to every service error. */
export interface ResponseMetadata {
  httpStatusCode: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

export class AwsError extends Error {
  readonly $fault: AwsFault;
  readonly httpStatusCode: number;
  $metadata: ResponseMetadata;
  /** `status` for services whose client errors are not all 400 (S3: 403, 404, 409). */
  constructor(code: string, message = '', status?: number) {
    super(message);
    this.name = code;
    const fault = SERVER_FAULTS[code];
    this.$fault = fault || (status ?? 400) >= 500 ? 'server' : 'client';
    this.httpStatusCode = status ?? fault ?? 400;
    this.$metadata = { httpStatusCode: this.httpStatusCode, attempts: 1, totalRetryDelay: 0 };
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <constraint>` */
export function validationError(member: string, value: unknown, constraint: string): AwsError {
  return validationErrors([{ member, value, constraint }]);
}

export interface ConstraintViolation {
  member: string;
  value: unknown;
  /** e.g. 'Member must have length less than or equal to 4096' */
  constraint: string;
  /** AWS leaves the value out for blobs ("Value at 'plaintext' ..."). */
  hideValue?: boolean;
}

export function validationErrors(violations: ConstraintViolation[]): AwsError {
  const parts = violations.map((v) => {
    const shown = v.hideValue ? 'Value' : v.value === undefined || v.value === null ? 'Value null' : `Value '${String(v.value)}'`;
    return `${shown} at '${v.member}' failed to satisfy constraint: ${v.constraint}`;
  });
  const n = violations.length;
  return new AwsError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`);
}
