// Unit tests of pool.ts: results in item order, never more than the limit
// in flight, a failure rejects the whole map.

import test from 'ava';

import { mapLimit } from '../../src/apply/pool';

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('results in order, at most limit in flight', async (t) => {
  let inFlight = 0;
  let most = 0;
  const items = Array.from({ length: 20 }, (_v, i) => i);
  const out = await mapLimit(items, 3, async (i) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await tick((i * 7) % 5);
    inFlight--;
    return i * i;
  });
  t.deepEqual(out, items.map((i) => i * i));
  t.is(most, 3);
});

test('an empty list and a limit above the length', async (t) => {
  t.deepEqual(await mapLimit([], 8, async (i: number) => i), []);
  t.deepEqual(await mapLimit([1, 2], 8, async (i) => i + 1), [2, 3]);
});

test('a failure rejects', async (t) => {
  await t.throwsAsync(mapLimit([1, 2, 3], 2, async (i) => {
    if (i === 2) throw new Error('item 2');
    return i;
  }), { message: 'item 2' });
});
