/**
 * A tiny IndexedDB wrapper (no library): one database, one object store, get/put/delete by key.
 * Every function resolves (never rejects) with a result that says whether it worked, because
 * private windows and locked-down browsers may refuse IndexedDB and the page must carry on.
 */
const DB = 'kms-lab';
const STORE = 'kv';
const VERSION = 1;

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available in this browser'));
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  opening.catch(() => (opening = null));
  return opening;
}

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (e: unknown): { ok: false; error: string } => ({ ok: false, error: e instanceof Error ? e.message : String(e) });

export async function idbGet<T>(key: string): Promise<Result<T | undefined>> {
  try {
    return { ok: true, value: (await run('readonly', (s) => s.get(key))) as T | undefined };
  } catch (e) {
    return fail(e);
  }
}

export async function idbPut(key: string, value: unknown): Promise<Result<void>> {
  try {
    await run('readwrite', (s) => s.put(value, key));
    return { ok: true, value: undefined };
  } catch (e) {
    return fail(e);
  }
}

export async function idbDelete(key: string): Promise<Result<void>> {
  try {
    await run('readwrite', (s) => s.delete(key));
    return { ok: true, value: undefined };
  } catch (e) {
    return fail(e);
  }
}
