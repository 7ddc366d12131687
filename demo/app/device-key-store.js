// Keeps the device key pair in IndexedDB. The private key is a non-extractable CryptoKey: the browser stores it,
// scripts can sign with it, nobody can read it out.

const DATABASE = "anonymous-users";
const STORE = "device-keys";
const KEY = "device";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const loadDeviceKey = () => run("readonly", (store) => store.get(KEY));
export const saveDeviceKey = (keyPair) => run("readwrite", (store) => store.put(keyPair, KEY));
export const forgetDeviceKey = () => run("readwrite", (store) => store.delete(KEY));
