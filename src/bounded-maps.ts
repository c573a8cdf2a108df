/**
 * Sets `key` as the newest entry of `map` (a `Map` keeps insertion order, so one set
 * again moves to the end) and forgets the oldest once there are more than `limit`: the
 * bounded memories of caches that must not grow with what callers send.
 */
export function rememberNewest<Key, Value>(map: Map<Key, Value>, key: Key, value: Value, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value!);
}
