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

/**
 * Writes keys[i] = values[i] in order (each list joined with `separator`), stopping at the
 * first write that throws. Gives back how many were written, the positions among them whose
 * key held a value before with those values (most keys are new, so this stays short), and the
 * error that stopped it, or null.
 */
export function setMany(storage, keys, values, separator) {
  const k = keys.split(separator);
  const v = values.split(separator);
  const changed = [];
  const previous = [];
  for (let i = 0; i < k.length; i++) {
    const old = storage.getItem(k[i]);
    try {
      storage.setItem(k[i], v[i]);
    } catch (e) {
      return [i, changed, previous, e];
    }
    if (old !== null) {
      changed.push(i);
      previous.push(old);
    }
  }
  return [k.length, changed, previous, null];
}
