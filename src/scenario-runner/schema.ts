/**
 * The scenario file format, as a valibot schema. The schema checks structure and types;
 * `load.ts` then checks what a schema cannot see (action names, input members, variables,
 * answer indices) and turns every problem into a `file:line:col` message.
 *
 * See scenarios/README.md for the format in prose.
 */
import * as v from 'valibot';

/** A strict mapping whose messages name the allowed and the missing fields. */
export function mapping<E extends v.ObjectEntries>(what: string, entries: E) {
  const keys = Object.keys(entries);
  const notAMapping = (issue: v.BaseIssue<unknown>) =>
    `expected ${what} to be a mapping (key: value), got ${describeReceived(issue.received)}`;
  return v.pipe(
    // valibot's object schemas take lists too; a scenario never wants that.
    v.custom<Record<string, unknown>>((x) => x !== null && typeof x === 'object' && !Array.isArray(x), notAMapping),
    v.strictObject(entries, (issue) => {
      if (issue.expected === 'never') return `unknown field ${issue.received} in ${what}; expected one of: ${keys.join(', ')}`;
      if (issue.expected?.startsWith('"')) return `missing field ${issue.expected} in ${what}`;
      return notAMapping(issue);
    }),
  );
}

function describeReceived(received: string): string {
  if (received.startsWith('"')) return `the text ${received}`;
  if (received === 'Array') return 'a list';
  if (received === 'null' || received === 'undefined') return 'nothing';
  return received;
}

/** A mapping with any keys (valibot's record alone would also take a list). */
const anyMapping = (message: string) =>
  v.pipe(
    v.custom<Record<string, unknown>>((x) => x !== null && typeof x === 'object' && !Array.isArray(x), message),
    v.record(v.string(), v.unknown(), message),
  );

/** Field helpers shared by the scenario and deck schemas, so both speak with the same messages. */
export const text = (what: string) => v.string(`expected ${what} (text)`);
export const nonEmptyText = (what: string) => v.pipe(text(what), v.minLength(1, `expected ${what} (non-empty text)`));
export const wholeNumber = (what: string) =>
  v.pipe(
    v.number(`expected ${what} (a number)`),
    v.integer(`expected ${what} to be a whole number`),
    v.minValue(0, `expected ${what} to be 0 or more`),
  );
const textList = (what: string) => v.array(text(`each of ${what}`), `expected ${what} (a list of text)`);

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
/** Exam guide codes look like DVA-C02, SOA-C02, SAA-C03, SCS-C02. */
export const EXAM_CODE = /^[A-Z]{3}-C\d{2}$/;
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const DurationSchema = mapping('clock (a time to move forward)', {
  seconds: v.optional(wholeNumber('seconds')),
  minutes: v.optional(wholeNumber('minutes')),
  hours: v.optional(wholeNumber('hours')),
  days: v.optional(wholeNumber('days')),
  years: v.optional(wholeNumber('years')),
});

export const QuestionSchema = mapping('ask (a question)', {
  question: nonEmptyText('the question'),
  choices: v.pipe(textList('choices'), v.minLength(2, 'expected at least 2 choices')),
  /** Index of the right choice (0-based), or a list of them when several are right. */
  answer: v.union(
    [
      wholeNumber('answer'),
      v.pipe(v.array(wholeNumber('each answer'), 'expected a list of answers'), v.minLength(1, 'expected at least one answer')),
    ],
    'expected answer to be the index of the right choice (0 for the first) or a list of indices',
  ),
  explain: nonEmptyText('explain (why the answer is right)'),
  hint: v.optional(text('hint')),
});

export const DoSchema = mapping('do', {
  /** A KMS action by its AWS name. */
  kms: v.optional(nonEmptyText('a KMS action name')),
  /** An IAM action by its AWS name (users, roles, their policies). */
  iam: v.optional(nonEmptyText('an IAM action name')),
  /** An S3 action by its AWS name (buckets, objects, encryption settings, bucket policies). */
  s3: v.optional(nonEmptyText('an S3 action name')),
  /** Send this call over plain HTTP (aws:SecureTransport false). */
  insecure: v.optional(v.boolean('expected insecure to be true or false')),
  /** An AWS service making the KMS call for the principal (kms:ViaService), e.g. s3. */
  via: v.optional(nonEmptyText('via (an AWS service name such as s3)')),
  input: v.optional(anyMapping("expected input to be a mapping of the action's members")),
  /** Keep the output under this name for `${name.path}` references. */
  as: v.optional(v.pipe(text('as (a variable name)'), v.regex(VAR_NAME, 'expected as to be a name made of letters, digits and _'))),
  region: v.optional(nonEmptyText('region')),
  principal: v.optional(nonEmptyText('principal (an IAM ARN)')),
  /** Move the virtual clock forward. */
  clock: v.optional(DurationSchema),
  /** Crypto done by the caller, outside AWS (see local.ts). */
  local: v.optional(nonEmptyText('a local operation name')),
  /** Shown instead of the generated AWS CLI line. */
  cli: v.optional(text('cli')),
  /** Send the KMS call this many times at the same virtual instant (a burst; see burst.ts). */
  repeat: v.optional(wholeNumber('repeat')),
});

export const ErrorExpectSchema = v.union(
  [
    nonEmptyText('an AWS error code'),
    mapping('error', {
      name: nonEmptyText('the error code (name)'),
      message: v.optional(v.unknown()),
    }),
  ],
  'expected error to be an AWS error code (e.g. InvalidCiphertextException) or { name, message }',
);

const oneOrMany = (what: string) =>
  v.union(
    [v.array(v.union([v.string(), anyMapping('expected a trace step mapping')])), v.string(), anyMapping('expected a trace step mapping')],
    `expected ${what}: a trace step kind, a { step: ... } mapping, or a list of them`,
  );

export const TraceExpectSchema = mapping('trace', {
  includes: v.optional(oneOrMany('includes')),
  excludes: v.optional(oneOrMany('excludes')),
});

export const ExpectSchema = mapping('expect', {
  /** Output paths → expected values or matchers. */
  output: v.optional(anyMapping('expected output to be a mapping of paths (e.g. KeyMetadata.KeyState) to values')),
  error: v.optional(ErrorExpectSchema),
  trace: v.optional(TraceExpectSchema),
  /** Every call the step made, in order, as service:Action (an S3 PutObject may call KMS first). */
  calls: v.optional(
    v.array(
      nonEmptyText('a call as service:Action, e.g. kms:GenerateDataKey'),
      'expected calls to be a list such as [kms:GenerateDataKey, s3:PutObject]',
    ),
  ),
  /** Paths in the call's CloudTrail record → expected values or matchers. */
  cloudtrail: v.optional(anyMapping('expected cloudtrail to be a mapping of paths (e.g. requestParameters.keyId) to values')),
});

export const StepSchema = mapping('step', {
  /** An optional name, for links and messages. */
  id: v.optional(v.pipe(text('id'), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'expected id in kebab-case (a-z, 0-9, -)'))),
  /** Narration, shown when the step comes up. Markdown-lite: **bold**, `code`, blank line = paragraph. */
  say: nonEmptyText('say (the narration)'),
  /** Asked before the step runs: predict, then see. */
  ask: v.optional(QuestionSchema),
  do: v.optional(DoSchema),
  expect: v.optional(ExpectSchema),
});

export const SetupSchema = mapping('setup', {
  seed: wholeNumber('seed'),
  region: v.optional(nonEmptyText('region')),
  principal: v.optional(nonEmptyText('principal (an IAM ARN)')),
  /** Virtual start time (ISO 8601). */
  start: v.optional(text('start (an ISO date)')),
  /**
   * Key material, IVs, data keys and signatures from a DRBG seeded with `seed` instead of the
   * CSPRNG, so every run shows the same bytes (WorldOptions.reproducibleCrypto). Teaching only.
   */
  reproducibleCrypto: v.optional(v.boolean('expected reproducibleCrypto to be true or false')),
  /** Request quotas: off unless a scenario turns them on (see WorldOptions.quotas). */
  quotas: v.optional(
    mapping('quotas', {
      enforce: v.optional(v.boolean('expected enforce to be true or false')),
      preset: v.optional(v.picklist(['current', '2023'], 'expected preset to be current or 2023')),
      /** Granted quota increases: requests per second by quota id (symmetric, rsa, ecc, op:CreateKey, ...). */
      overrides: v.optional(v.record(v.string(), v.number('expected a number of requests per second'))),
    }),
  ),
});

export const ScenarioSchema = mapping('the scenario', {
  schema: v.optional(v.literal(1, 'expected schema: 1')),
  id: v.pipe(text('id'), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'expected id in kebab-case (a-z, 0-9, -)')),
  title: nonEmptyText('title'),
  summary: nonEmptyText('summary'),
  topics: textList('topics'),
  exams: v.array(
    v.pipe(text('an exam code'), v.regex(EXAM_CODE, 'expected an exam guide code such as DVA-C02')),
    'expected exams (a list of exam guide codes)',
  ),
  level: v.picklist(LEVELS, `expected level to be one of: ${LEVELS.join(', ')}`),
  minutes: v.optional(wholeNumber('minutes')),
  setup: SetupSchema,
  steps: v.pipe(v.array(StepSchema, 'expected steps (a list)'), v.minLength(1, 'expected at least one step')),
});

export type ScenarioDoc = v.InferOutput<typeof ScenarioSchema>;
export type StepDoc = v.InferOutput<typeof StepSchema>;
export type QuestionDoc = v.InferOutput<typeof QuestionSchema>;
export type DoDoc = v.InferOutput<typeof DoSchema>;
export type ExpectDoc = v.InferOutput<typeof ExpectSchema>;
export type DurationDoc = v.InferOutput<typeof DurationSchema>;
