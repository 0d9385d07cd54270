/**
 * Binary files a lab keeps beside its state (exported models): too large for the progress store's localStorage, so
 * they live in IndexedDB, one database for the site, keyed `<lab id>/<name>`. They are a cache of the lab's work, not
 * its record: the state says what was measured; a missing file only means "make it again to download it".
 *
 * Where IndexedDB is missing or blocked (Node, private modes), files are kept in memory for the page's lifetime.
 * "Delete all progress" and a lab's Reset clear them (`clearLabFiles`).
 */

const DB = 'mlops-course-lab-files';
const STORE = 'files';

export interface LabFiles {
  put(name: string, bytes: Uint8Array): Promise<void>;
  get(name: string): Promise<Uint8Array | null>;
  remove(name: string): Promise<void>;
  /** Removes every file of this lab. */
  clear(): Promise<void>;
}

const memory = new Map<string, Uint8Array>();

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

let opening: Promise<IDBDatabase | null> | undefined;
function database(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => resolve(null);
      open.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const db = await database();
  if (!db) return undefined;
  return request(use(db.transaction(STORE, mode).objectStore(STORE)));
}

export function labFiles(labId: string): LabFiles {
  const key = (name: string) => `${labId}/${name}`;
  return {
    async put(name, bytes) {
      memory.set(key(name), bytes);
      try {
        await withStore('readwrite', (s) => s.put(bytes, key(name)));
      } catch {
        /* full or blocked: the copy in memory still serves this page */
      }
    },
    async get(name) {
      const here = memory.get(key(name));
      if (here) return here;
      try {
        const stored = await withStore<unknown>('readonly', (s) => s.get(key(name)));
        return stored instanceof Uint8Array ? stored : stored instanceof ArrayBuffer ? new Uint8Array(stored) : null;
      } catch {
        return null;
      }
    },
    async remove(name) {
      memory.delete(key(name));
      try {
        await withStore('readwrite', (s) => s.delete(key(name)));
      } catch {
        /* nothing stored */
      }
    },
    clear: () => clearLabFiles(labId),
  };
}

/** Removes the files of one lab, or of every lab. */
export async function clearLabFiles(labId?: string): Promise<void> {
  const prefix = labId ? `${labId}/` : '';
  for (const k of [...memory.keys()]) if (k.startsWith(prefix)) memory.delete(k);
  try {
    await withStore('readwrite', (s) => (labId ? s.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`)) : s.clear()));
  } catch {
    /* nothing stored */
  }
}
