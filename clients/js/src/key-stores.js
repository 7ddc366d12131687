// Where a device keeps its key pair. The browser's store is IndexedDB, which keeps a non-extractable CryptoKey as it
// is: scripts can sign with it, nobody can read it out. Any other place (a Node.js app's, a test's) is an object with
// the same three methods; a store may keep a key it already holds instead of the one saved (the guest loads it again).

const DATABASE = "keycloak-anonymous-users";
const STORE = "device-keys";

/** A new P-256 key pair whose private key signs and can never be exported. */
export function createDeviceKeyPair() {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inStore(mode, action) {
  const db = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      // Resolved when the transaction is committed, so a key saved is a key kept. A failed request (an add where a
      // key is kept already) aborts the transaction: its own error says why.
      transaction.oncomplete = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      transaction.onabort = () => reject(request.error ?? transaction.error);
    });
  } finally {
    db.close();
  }
}

/**
 * The browser's store: one key pair per entry, in IndexedDB database keycloak-anonymous-users. A key already kept
 * is never replaced: when two tabs make a device's first key at once, the first saved wins and both use it.
 */
export function indexedDbKeyStore(entry) {
  return {
    load: () => inStore("readonly", (store) => store.get(entry)),
    save: async (keyPair) => {
      try {
        await inStore("readwrite", (store) => store.add(keyPair, entry));
      } catch (error) {
        if (error?.name !== "ConstraintError") throw error;
      }
    },
    remove: () => inStore("readwrite", (store) => store.delete(entry)),
  };
}

/** A store that lives as long as the object: for tests, and for a device that should be forgotten on exit. */
export function memoryKeyStore(keyPair = undefined) {
  let kept = keyPair;
  return {
    load: async () => kept,
    save: async (pair) => { kept = pair; },
    remove: async () => { kept = undefined; },
  };
}
