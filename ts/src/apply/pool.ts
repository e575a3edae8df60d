// pool.ts: run asynchronous calls over a list with a bound on how many are
// in flight (the native calls run on libuv's thread pool, one connection
// to vpcd per open object, so independent objects can be read at once).

/** fn over every item, at most 'limit' at a time; results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number,
  fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  }
  const lanes: Promise<void>[] = [];
  for (let k = 0; k < Math.min(limit, items.length); k++) lanes.push(lane());
  await Promise.all(lanes);
  return out;
}
