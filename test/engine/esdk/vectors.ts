/**
 * Loads the AWS Encryption SDK test vectors in place from ../shared/vectors/esdk (beside the repo;
 * tests run from the repo root) and builds the keyring or CMM each test describes. Never copied.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromBase64 } from '../../../src/engine/crypto';
import {
  type CMM,
  type Keyring,
  type RsaPadding,
  multiKeyring,
  rawAesKeyring,
  rawRsaKeyring,
  requiredEncryptionContextCmm,
} from '../../../src/engine/esdk';

export const ESDK_DIR = resolve(process.cwd(), '..', 'shared', 'vectors', 'esdk');

export function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(resolve(ESDK_DIR, ...path), 'utf8')) as T;
}

export function readBytes(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(resolve(ESDK_DIR, ...path)));
}

export interface KeyDescription {
  type: string;
  key?: string;
  'provider-id'?: string;
  'encryption-algorithm'?: string;
  'padding-algorithm'?: string;
  'padding-hash'?: string;
  generator?: KeyDescription;
  childKeyrings?: KeyDescription[];
  underlying?: KeyDescription;
  requiredEncryptionContextKeys?: string[];
}

export interface Scenario {
  type: 'positive-esdk' | 'negative-esdk';
  ciphertext: string;
  result?: string;
  algorithmSuiteId: string;
  description: string;
  decryptKeyDescription: KeyDescription;
  'reproduced-encryption-context'?: Record<string, string>;
  'error-description'?: string;
}

export interface KeyEntry {
  type: string;
  'key-id': string;
  material: string | string[];
  'line-separator'?: string;
  encoding: string;
}

export class NeedsKms extends Error {}

function material(k: KeyEntry): string {
  return Array.isArray(k.material) ? k.material.join(k['line-separator'] ?? '\n') : k.material;
}

export function buildKeyring(d: KeyDescription, keys: Record<string, KeyEntry>): Keyring | CMM {
  if (d.type === 'aws-kms' || d.type.startsWith('aws-kms')) throw new NeedsKms(d.type);
  if (d.type === 'raw') {
    const k = keys[d.key!];
    if (!k) throw new Error(`no key ${d.key}`);
    if (d['encryption-algorithm'] === 'aes')
      return rawAesKeyring({ keyNamespace: d['provider-id']!, keyName: k['key-id'], wrappingKey: fromBase64(material(k)) });
    if (d['encryption-algorithm'] === 'rsa') {
      const padding = (d['padding-algorithm'] === 'pkcs1' ? 'pkcs1' : `oaep-${d['padding-hash']}`) as RsaPadding;
      const pem = material(k);
      return rawRsaKeyring({
        keyNamespace: d['provider-id']!,
        keyName: k['key-id'],
        padding,
        ...(k.type === 'private' ? { privateKeyPem: pem } : { publicKeyPem: pem }),
      });
    }
  }
  if (d.type === 'multi-keyring') {
    return multiKeyring({
      generator: d.generator ? (buildKeyring(d.generator, keys) as Keyring) : undefined,
      children: (d.childKeyrings ?? []).map((c) => buildKeyring(c, keys) as Keyring),
    });
  }
  if (d.type === 'required-encryption-context-cmm')
    return requiredEncryptionContextCmm({
      underlying: buildKeyring(d.underlying!, keys),
      requiredEncryptionContextKeys: d.requiredEncryptionContextKeys!,
    });
  throw new Error(`unsupported key description ${d.type}`);
}
