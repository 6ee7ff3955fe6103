/**
 * setup.reproducibleCrypto: a scenario run twice gives identical bytes (KMS ciphertexts, data
 * keys, public keys, the caller's own AES-GCM, RSA-OAEP and Encryption SDK output); without it
 * the CSPRNG makes them new each run. The player's Back and Next replay the same bytes. A wrong
 * value is refused with its file:line:col.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, ScenarioError, ScenarioPlayer, type StepResult } from '../../src/scenario-runner';
import { toHex } from '../../src/engine/crypto';

const scenarioText = (setupExtra: string) => `id: t
title: T
summary: S
topics: []
exams: []
level: beginner
setup:
  seed: 1701
${setupExtra}steps:
  - say: Create.
    do: { kms: CreateKey, as: key }
  - say: Encrypt.
    do:
      kms: Encrypt
      input: { KeyId: "\${key.KeyMetadata.KeyId}", Plaintext: { text: order 1042 } }
  - say: A data key.
    do:
      kms: GenerateDataKey
      input: { KeyId: "\${key.KeyMetadata.KeyId}", KeySpec: AES_256 }
      as: dk
  - say: Encrypt locally.
    do:
      local: aes-gcm-encrypt
      input: { key: "\${dk.Plaintext}", plaintext: { text: big file } }
  - say: The Encryption SDK.
    do:
      local: encryption-sdk-encrypt
      input:
        dataKey: \${dk.Plaintext}
        encryptedDataKey: \${dk.CiphertextBlob}
        keyArn: \${dk.KeyId}
        plaintext: { text: big file }
  - say: An RSA key.
    do: { kms: CreateKey, input: { KeySpec: RSA_2048, KeyUsage: ENCRYPT_DECRYPT }, as: rsa }
  - say: Its public key.
    do: { kms: GetPublicKey, input: { KeyId: "\${rsa.KeyMetadata.KeyId}" }, as: pub }
  - say: Encrypt with it outside AWS.
    do:
      local: rsa-oaep-encrypt
      input: { publicKey: "\${pub.PublicKey}", plaintext: { text: secret }, hash: SHA-256 }
`;

/** Every byte string in every step's output, as hex by step and field. */
function bytesOf(results: StepResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of results) {
    if (!r.outcome?.ok) throw new Error(`step ${r.index + 1} failed`);
    for (const [k, v] of Object.entries(r.outcome.output as Record<string, unknown>)) {
      if (v instanceof Uint8Array) out[`${r.index + 1}.${k}`] = toHex(v);
    }
  }
  return out;
}

describe('setup.reproducibleCrypto', () => {
  const reproducible = loadScenario(scenarioText('  reproducibleCrypto: true\n'), 'scenarios/t.yaml');

  it('two runs give identical ciphertexts, data keys and messages', async () => {
    expect(reproducible.setup.reproducibleCrypto).toBe(true);
    const a = bytesOf((await runScenario(reproducible)).results);
    const b = bytesOf((await runScenario(reproducible)).results);
    expect(Object.keys(a).sort()).toEqual(
      ['2.CiphertextBlob', '3.CiphertextBlob', '3.Plaintext', '4.ciphertext', '4.iv', '5.message', '7.PublicKey', '8.ciphertext'].sort(),
    );
    expect(b).toEqual(a);
  });

  it('without it, every run makes new bytes', async () => {
    const plain = loadScenario(scenarioText(''), 'scenarios/t.yaml');
    const a = bytesOf((await runScenario(plain)).results);
    const b = bytesOf((await runScenario(plain)).results);
    for (const k of Object.keys(a)) expect(b[k], k).not.toBe(a[k]);
  });

  it('the player gives the same bytes again after Back and Next', async () => {
    const p = new ScenarioPlayer(reproducible);
    await p.goTo(3);
    const before = bytesOf(p.results);
    await p.back();
    await p.back();
    await p.next();
    await p.next();
    expect(bytesOf(p.results)).toEqual(before);
  });

  it('a value that is not true or false is refused at its line and column', () => {
    let e: unknown;
    try {
      loadScenario(scenarioText('  reproducibleCrypto: sometimes\n'), 'scenarios/t.yaml');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as Error).message).toBe('scenarios/t.yaml:9:23: setup.reproducibleCrypto: expected reproducibleCrypto to be true or false');
  });
});
