/** Importing a sandbox file: a world saved with reproducible crypto is restored with the CSPRNG (the sandbox never uses seeded bytes). */
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../src/engine';
import { checkSnapshotShape, worldFromFile } from '../../src/ui/lib/snapshot-check';

describe('worldFromFile', () => {
  it('keeps the keys of a reproducible world but not its seeded stream', async () => {
    const classroom = await createWorld({ seed: 4, reproducibleCrypto: true });
    await classroom.client('kms').send('CreateKey', {});
    const r = await worldFromFile(JSON.stringify(classroom.snapshot()));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.kms.keys.size).toBe(1);
    expect(r.value.reproducibleCrypto).toBe(false);
    expect(r.value.snapshot().reproducibleCrypto).toBeUndefined();
  });

  it('refuses a malformed reproducible-crypto state', async () => {
    const snap = { ...(await createWorld({ seed: 4, reproducibleCrypto: true })).snapshot(), reproducibleCrypto: { seed: 'x' } };
    const r = checkSnapshotShape(JSON.parse(JSON.stringify(snap)));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/reproducible-crypto state/);
  });
});
