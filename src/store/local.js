// Reads the whole of a Storage in one call from wasm: the loops run here, in JavaScript, so no
// key or value is copied into wasm one at a time.

/** Every key, then every value in the same order, each list joined with `separator`. */
export function joinedEntries(storage, separator) {
  const n = storage.length;
  const keys = new Array(n);
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    const key = storage.key(i);
    keys[i] = key;
    values[i] = storage.getItem(key);
  }
  return [n, keys.join(separator), values.join(separator)];
}

/** Every key, joined with `separator`. */
export function joinedKeys(storage, separator) {
  const n = storage.length;
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = storage.key(i);
  return [n, keys.join(separator)];
}

/** Every key and value together, in UTF-16 code units. */
export function usedUnits(storage) {
  let units = 0;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    units += key.length + storage.getItem(key).length;
  }
  return units;
}
