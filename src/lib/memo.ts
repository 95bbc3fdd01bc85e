import { LRUCache } from 'lru-cache';

/**
 * A pure computation kept for its `max` most recently used keys: `remember(key, compute)`
 * returns the value kept for `key`, computing it on a miss. Only for values that depend on
 * the key alone; for values that expire or that other writers change, use `LRUCache` itself.
 */
export function memo<V extends NonNullable<unknown>>(max: number): (key: string, compute: () => V) => V {
  const cache = new LRUCache<string, V>({ max });
  return (key, compute) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute();
      cache.set(key, value);
    }
    return value;
  };
}
