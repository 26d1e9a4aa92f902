import { LRUCache } from "lru-cache";

/** Pages kept per database: a burst of traffic goes to a few campaigns at a time. */
const MAX_PAGES = 100;

/** A read kept until `until`, by the clock the caller reads (performance.now() unless a test brings its own). */
type Kept = { reading: Promise<unknown>; until: number };

const cachesByDb = new WeakMap<object, LRUCache<string, Kept>>();

/** Where the cache reads the time its reads expire by. */
export type Clock = { now(): number };

/**
 * What a public page reads from the database, shared by all the requests for
 * it within `ttlMs` (PAGE_CACHE_MS, a second by default; 0 turns it off).
 *
 * A campaign that is being shared widely gets the same page requested many
 * times a second, and reading and shaping its data was a fifth of the
 * page's CPU time. Within the TTL every request gets the same result, from
 * the same read: requests that arrive while it is under way wait for it.
 * A page can therefore be up to `ttlMs` behind the database: a count or a
 * pause appears that much later. Nothing that writes relies on it: the sign
 * POST reads the petition afresh.
 *
 * Kept per database (tests run several apps in one process) and by `key`;
 * a read that finds nothing (undefined) or fails is not kept.
 */
export function cachedRead<T>(
  db: object,
  key: string,
  ttlMs: number,
  read: () => Promise<T>,
  clock: Clock = performance,
): Promise<T> {
  if (ttlMs <= 0) return read();
  let cache = cachesByDb.get(db);
  if (!cache) {
    cache = new LRUCache<string, Kept>({ max: MAX_PAGES });
    cachesByDb.set(db, cache);
  }
  const kept = cache.get(key);
  if (kept && clock.now() < kept.until) return kept.reading as Promise<T>;
  const pages = cache;
  const forget = () => {
    if (pages.peek(key)?.reading === reading) pages.delete(key);
  };
  const reading: Promise<T> = read().then(
    (value) => {
      if (value === undefined) forget();
      return value;
    },
    (error: unknown) => {
      forget();
      throw error;
    },
  );
  pages.set(key, { reading, until: clock.now() + ttlMs });
  return reading;
}
