// Reads the whole of a Storage in one call from wasm: the loops run here, in JavaScript, so no
// key or value is copied into wasm one at a time.

/**
 * Every key that starts with `prefix` (every key, with ""), then their values in the same
 * order, each list joined with `separator`, and how many there are.
 */
export function joinedEntries(storage, separator, prefix) {
  const n = storage.length;
  const keys = [];
  const values = [];
  for (let i = 0; i < n; i++) {
    const key = storage.key(i);
    if (!key.startsWith(prefix)) continue;
    keys.push(key);
    values.push(storage.getItem(key));
  }
  return [keys.length, keys.join(separator), values.join(separator)];
}

/** Every key that starts with `prefix` (every key, with ""), joined with `separator`. */
export function joinedKeys(storage, separator, prefix) {
  const n = storage.length;
  const keys = [];
  for (let i = 0; i < n; i++) {
    const key = storage.key(i);
    if (key.startsWith(prefix)) keys.push(key);
  }
  return [keys.length, keys.join(separator)];
}

/** How many keys start with `prefix`. */
export function countKeys(storage, prefix) {
  let count = 0;
  for (let i = 0; i < storage.length; i++) {
    if (storage.key(i).startsWith(prefix)) count++;
  }
  return count;
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
