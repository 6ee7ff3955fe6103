/**
 * The deck file format (scenarios/decks/*.yaml): study cards and exam-style questions, as a
 * valibot schema. `deck-load.ts` adds what a schema cannot see (unique ids, answer indices,
 * known topics, placeholders, the engine steps of a `check:`) with `file:line:col` messages.
 *
 * See scenarios/decks/README.md for the format in prose.
 */
import * as v from 'valibot';
import { DoSchema, EXAM_CODE, ExpectSchema, mapping, nonEmptyText, SetupSchema, text, wholeNumber } from './schema';

/**
 * Every topic a card or question may name, with the label the page shows. The topics follow
 * the study notes (../shared/seeds): each one must have cards and questions (a test checks).
 */
export const TOPICS = {
  'kms-key-types': 'KMS key types',
  'kms-key-management': 'KMS key management',
  'kms-key-policies': 'Key policies and IAM',
  'kms-grants': 'Grants',
  'kms-encryption-context': 'Encryption context',
  'kms-rotation': 'Key rotation',
  'kms-deletion': 'Key states and deletion',
  'kms-regions': 'Regions and multi-Region keys',
  'kms-quotas': 'KMS quotas and throttling',
  'kms-pricing': 'KMS pricing',
  'kms-cloudtrail': 'Auditing with CloudTrail',
  'envelope-encryption': 'Envelope encryption',
  'encryption-sdk': 'AWS Encryption SDK',
  'data-key-caching': 'Data key caching',
  cloudhsm: 'CloudHSM',
  'custom-key-stores': 'Custom key stores',
  'ssm-parameter-store': 'SSM Parameter Store',
  'secrets-manager': 'Secrets Manager',
  'cloudformation-dynamic-references': 'CloudFormation dynamic references',
  's3-encryption': 'S3 encryption',
  's3-policies': 'S3 bucket policies',
  snapshots: 'Snapshot copies and sharing',
  'cloudwatch-logs': 'CloudWatch Logs encryption',
  lambda: 'Lambda encryption',
  'nitro-enclaves': 'Nitro Enclaves',
  'encryption-in-flight': 'Encryption in flight',
  sqs: 'SQS security',
  kinesis: 'Kinesis security',
  iot: 'IoT security',
  dynamodb: 'DynamoDB security',
  rds: 'RDS security',
  aurora: 'Aurora security',
  glue: 'Glue security',
  emr: 'EMR security',
  opensearch: 'OpenSearch security',
  redshift: 'Redshift security',
  athena: 'Athena security',
  quicksight: 'QuickSight security',
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_IDS = Object.keys(TOPICS) as Topic[];

/** The exam guides a card or question serves. */
export const EXAMS = {
  'DVA-C02': 'Developer Associate',
  'SOA-C02': 'SysOps Administrator Associate',
  'SAA-C03': 'Solutions Architect Associate',
  'SCS-C02': 'Security Specialty',
} as const;

const kebabId = (what: string) => v.pipe(text(what), v.regex(/^[a-z0-9][a-z0-9-]*$/, `expected ${what} in kebab-case (a-z, 0-9, -)`));
const topicList = v.pipe(
  v.array(text('each topic'), 'expected topics (a list of topic ids)'),
  v.minLength(1, 'expected at least one topic'),
);
const examList = v.pipe(
  v.array(
    v.pipe(text('an exam code'), v.regex(EXAM_CODE, 'expected an exam guide code such as DVA-C02')),
    'expected exams (a list of exam guide codes)',
  ),
  v.minLength(1, 'expected at least one exam guide'),
);
/** `scenario-id#step-id`: the walkthrough step that shows the behaviour happen. */
const seeLink = v.pipe(
  text('see (scenario-id#step-id)'),
  v.regex(/^[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*$/, 'expected see to be scenario-id#step-id, e.g. key-lifecycle#schedule'),
);

export const CardSchema = mapping('card', {
  id: kebabId('id'),
  topics: v.optional(topicList),
  exams: v.optional(examList),
  /** The prompt side. */
  front: nonEmptyText('front (the prompt)'),
  /** The answer side. May hold {{kms.maxPlaintextBytes}}-style placeholders. */
  back: nonEmptyText('back (the answer)'),
  /** Where the fact comes from: the reference section or the AWS page title. */
  source: v.optional(nonEmptyText('source')),
  /** What AWS changed, and when, that older notes still repeat. */
  changed: v.optional(nonEmptyText('changed (what changed and when)')),
  see: v.optional(seeLink),
});

/** An engine step of a question's check: a walkthrough step without narration. */
export const CheckStepSchema = mapping('check step', {
  id: v.optional(kebabId('id')),
  say: v.optional(text('say')),
  do: DoSchema,
  expect: v.optional(ExpectSchema),
});

export const CheckSchema = mapping('check (engine steps that prove the answer)', {
  setup: v.optional(SetupSchema),
  /**
   * The last step is the one the question asks about; each option's expect is checked against it.
   * When the options have steps of their own, these run first for every option (and may be none).
   */
  steps: v.optional(v.array(CheckStepSchema, 'expected steps (a list)')),
});

export const OptionSchema = mapping('option', {
  text: nonEmptyText('the option text'),
  /** Why this option is right or wrong. */
  explain: nonEmptyText('explain (why this option is right or wrong)'),
  /** For a question with a check: what the last step does if this option were right. */
  expect: v.optional(ExpectSchema),
  /**
   * For a question whose options each describe a different situation ("which two keys cannot
   * rotate?"): this option's own steps, run after the check's steps in a world of its own. The
   * last one is the step its expect describes.
   */
  steps: v.optional(v.pipe(v.array(CheckStepSchema, 'expected steps (a list)'), v.minLength(1, 'expected at least one step'))),
});

export const DeckQuestionSchema = mapping('question', {
  id: kebabId('id'),
  topics: v.optional(topicList),
  exams: v.optional(examList),
  question: nonEmptyText('the question'),
  options: v.pipe(
    v.array(OptionSchema, 'expected options (a list)'),
    v.minLength(4, 'expected 4 or 5 options'),
    v.maxLength(6, 'expected at most 6 options'),
  ),
  /** Index of the right option (0-based), or a list when several are right. */
  answer: v.union(
    [
      wholeNumber('answer'),
      v.pipe(v.array(wholeNumber('each answer'), 'expected a list of answers'), v.minLength(2, 'expected at least two answers in a list')),
    ],
    'expected answer to be the index of the right option (0 for the first) or a list of indices',
  ),
  source: v.optional(nonEmptyText('source')),
  changed: v.optional(nonEmptyText('changed (what changed and when)')),
  see: v.optional(seeLink),
  check: v.optional(CheckSchema),
});

export const DeckSchema = mapping('the deck', {
  schema: v.optional(v.literal(1, 'expected schema: 1')),
  id: kebabId('id'),
  title: nonEmptyText('title'),
  /** Defaults for every card and question that does not name its own. */
  topics: v.optional(topicList),
  exams: v.optional(examList),
  source: v.optional(nonEmptyText('source')),
  cards: v.optional(v.array(CardSchema, 'expected cards (a list)')),
  questions: v.optional(v.array(DeckQuestionSchema, 'expected questions (a list)')),
});

export type DeckDoc = v.InferOutput<typeof DeckSchema>;
export type CardDoc = v.InferOutput<typeof CardSchema>;
export type DeckQuestionDoc = v.InferOutput<typeof DeckQuestionSchema>;
export type OptionDoc = v.InferOutput<typeof OptionSchema>;
export type CheckDoc = v.InferOutput<typeof CheckSchema>;
