/**
 * Checks a file before it replaces the sandbox: it must be a kms-lab world, version 1, with the
 * shape the engine saves, and the engine must be able to restore it. On any doubt the file is
 * refused with a reason, and nothing changes.
 */
import { createWorld, type World, type WorldSnapshot } from '../../engine';
import type { Parsed } from './codec';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function checkSnapshotShape(v: unknown): Parsed<WorldSnapshot> {
  const no = (error: string): Parsed<WorldSnapshot> => ({ ok: false, error });
  if (!isObj(v)) return no('The file is not a JSON object.');
  if (v.format !== 'kms-lab-world') {
    return no(
      v.format === undefined
        ? 'This is not a kms-lab sandbox file: it has no "format" field.'
        : `This is not a kms-lab sandbox file: its format is ${JSON.stringify(v.format)}, not "kms-lab-world".`,
    );
  }
  if (v.version !== 1) return no(`This sandbox file is version ${JSON.stringify(v.version)}; this kms-lab reads version 1 only.`);
  if (!isNum(v.clockMs)) return no('The file has no valid virtual clock ("clockMs" must be a number).');
  if (!Array.isArray(v.ids) || v.ids.length !== 4 || !v.ids.every(isNum))
    return no('The file has no valid id generator state ("ids" must be four numbers).');
  if (!isObj(v.kms) || !Array.isArray(v.kms.keys) || !Array.isArray(v.kms.aliases))
    return no('The file has no valid KMS state ("kms.keys" and "kms.aliases" must be lists).');
  for (const [i, k] of (v.kms.keys as unknown[]).entries()) {
    if (!isObj(k)) return no(`KMS key #${i + 1} is not an object.`);
    for (const f of ['keyId', 'arn', 'account', 'region', 'state', 'keySpec', 'keyUsage'] as const) {
      if (!isStr(k[f])) return no(`KMS key #${i + 1} has no valid "${f}".`);
    }
    if (!Array.isArray(k.materials) || !k.materials.every((m) => isObj(m) && isStr(m.id) && isStr(m.kind)))
      return no(`KMS key #${i + 1} (${k.keyId}) has invalid key material.`);
    if (!Array.isArray(k.rotations) || !isObj(k.rotation)) return no(`KMS key #${i + 1} (${k.keyId}) has no valid rotation state.`);
  }
  for (const [i, a] of (v.kms.aliases as unknown[]).entries()) {
    if (!isObj(a) || !isStr(a.name) || !isStr(a.arn) || !isStr(a.targetKeyId)) return no(`Alias #${i + 1} is not valid.`);
  }
  if (!Array.isArray(v.cloudtrail) || !v.cloudtrail.every(isObj))
    return no('The file has no valid CloudTrail log ("cloudtrail" must be a list of events).');
  const r = v.reproducibleCrypto;
  if (r !== undefined && (!isObj(r) || !isNum(r.seed) || !isNum(r.position)))
    return no('The file has an invalid reproducible-crypto state ("reproducibleCrypto" must hold a seed and a position).');
  return { ok: true, value: v as unknown as WorldSnapshot };
}

/** Parses, checks and restores; a world is returned only when everything worked. */
export async function worldFromFile(text: string): Promise<Parsed<World>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const shape = checkSnapshotShape(v);
  if (!shape.ok) return shape;
  // The sandbox always draws fresh bytes from the CSPRNG: a world saved with reproducible crypto
  // (a classroom's) keeps its keys and ciphertexts, but its seeded stream is not carried on.
  const { reproducibleCrypto: _seeded, ...snapshot } = shape.value;
  try {
    const world = await createWorld({ snapshot });
    // Exercise the restored state once so that a subtly broken file fails here, not later.
    world.snapshot();
    return { ok: true, value: world };
  } catch (e) {
    return {
      ok: false,
      error: `The file looks like a kms-lab sandbox but could not be restored: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
