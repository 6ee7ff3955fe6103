/**
 * Loads Project Wycheproof vector files in place from ../shared/vectors/wycheproof (beside the
 * repo; tests run from the repo root). Never copied into the repo. A missing file fails the test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromHex } from '../../../src/engine/crypto';

export const WYCHEPROOF_DIR = resolve(process.cwd(), '..', 'shared', 'vectors', 'wycheproof', 'testvectors_v1');

export interface TestCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}
export interface TestGroup {
  tests: TestCase[];
  [field: string]: unknown;
}
export interface VectorFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: TestGroup[];
}

export function loadVectors(name: string): VectorFile {
  const file = JSON.parse(readFileSync(resolve(WYCHEPROOF_DIR, name), 'utf8')) as VectorFile;
  const total = file.testGroups.reduce((n, g) => n + g.tests.length, 0);
  if (total !== file.numberOfTests) throw new Error(`${name}: ${total} cases but numberOfTests is ${file.numberOfTests}`);
  return file;
}

/** A hex field of a case or group, as bytes. */
export function hex(obj: Record<string, unknown>, field: string): Uint8Array {
  const v = obj[field];
  if (typeof v !== 'string') throw new Error(`vector field ${field} is not a hex string`);
  return fromHex(v);
}

/** Tallies of what ran and what was skipped (by reason), plus failures as readable lines. */
export class Tally {
  run = 0;
  skipped: Record<string, number> = {};
  byResult: Record<string, number> = {};
  failures: string[] = [];
  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
  ran(t: TestCase): void {
    this.run++;
    this.byResult[t.result] = (this.byResult[t.result] ?? 0) + 1;
  }
  fail(t: TestCase, what: string): void {
    this.failures.push(`tcId ${t.tcId} (${t.result}, ${t.comment || t.flags.join(',')}): ${what}`);
  }
}
