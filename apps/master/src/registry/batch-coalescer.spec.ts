import { type BatchAnswers, BatchCoalescer } from './batch-coalescer';

interface Item {
  readonly key: string;
  readonly n: number;
}

/** A coalescer whose batches run only when the test says so, recording every batch it got. */
function harness(maxBatch = 100, fail?: (items: Item[]) => Error | undefined) {
  const batches: Item[][] = [];
  const deferred: (() => void)[] = [];
  let release: (() => void) | undefined;
  const coalescer = new BatchCoalescer<Item, number>(
    (item) => item.key,
    async (items) => {
      batches.push(items);
      await new Promise<void>((r) => (release = r));
      const error = fail?.(items);
      if (error !== undefined) throw error;
      const answers = new Map<string, number | Error>();
      for (const item of items) answers.set(item.key, item.key.startsWith('bad') ? new Error(`${item.key} refused`) : item.n * 10);
      return answers as BatchAnswers<number>;
    },
    { maxBatch, defer: (run) => deferred.push(run) },
  );
  return {
    coalescer,
    batches,
    /** Runs what the coalescer deferred (the next batch starts). */
    tick: () => deferred.splice(0).forEach((run) => run()),
    /** Lets the running batch answer, then lets its answers settle. */
    finish: async () => {
      release?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('BatchCoalescer', () => {
  it('sends what arrives before the next turn as one batch and answers each caller', async () => {
    const h = harness();
    const answers = Promise.all([h.coalescer.submit({ key: 'a', n: 1 }), h.coalescer.submit({ key: 'b', n: 2 })]);
    h.tick();
    await h.finish();
    expect(await answers).toEqual([10, 20]);
    expect(h.batches.map((b) => b.map((i) => i.key))).toEqual([['a', 'b']]);
  });

  it('queues what arrives while a batch runs for one next batch', async () => {
    const h = harness();
    const first = h.coalescer.submit({ key: 'a', n: 1 });
    h.tick();
    const later = [h.coalescer.submit({ key: 'b', n: 2 }), h.coalescer.submit({ key: 'c', n: 3 })];
    h.tick(); // nothing deferred: a batch is running
    expect(h.batches).toHaveLength(1);
    await h.finish();
    expect(await first).toBe(10);
    h.tick();
    await h.finish();
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(h.batches.map((b) => b.map((i) => i.key))).toEqual([['a'], ['b', 'c']]);
  });

  it('merges requests with one key: the latest value is sent, every caller gets the answer', async () => {
    const h = harness();
    const both = Promise.all([h.coalescer.submit({ key: 'a', n: 1 }), h.coalescer.submit({ key: 'a', n: 7 })]);
    h.tick();
    await h.finish();
    expect(await both).toEqual([70, 70]);
    expect(h.batches).toEqual([[{ key: 'a', n: 7 }]]);
  });

  it('rejects only the caller whose key was refused', async () => {
    const h = harness();
    const good = h.coalescer.submit({ key: 'a', n: 1 });
    const bad = h.coalescer.submit({ key: 'bad-1', n: 2 });
    const settled = Promise.allSettled([good, bad]);
    h.tick();
    await h.finish();
    const [g, r] = await settled;
    expect(g).toEqual({ status: 'fulfilled', value: 10 });
    expect(r).toMatchObject({ status: 'rejected', reason: new Error('bad-1 refused') });
  });

  it('rejects every caller of a failed batch and keeps serving the next', async () => {
    const h = harness(100, (items) => (items.some((i) => i.key === 'boom') ? new Error('database down') : undefined));
    const failed = Promise.allSettled([h.coalescer.submit({ key: 'boom', n: 1 }), h.coalescer.submit({ key: 'x', n: 2 })]);
    h.tick();
    await h.finish();
    for (const f of await failed) expect(f).toMatchObject({ status: 'rejected', reason: new Error('database down') });
    const next = h.coalescer.submit({ key: 'y', n: 3 });
    h.tick();
    await h.finish();
    expect(await next).toBe(30);
  });

  it('splits a queue longer than maxBatch over several batches', async () => {
    const h = harness(2);
    const all = Promise.all(['a', 'b', 'c'].map((key, n) => h.coalescer.submit({ key, n })));
    for (let i = 0; i < 2; i++) {
      h.tick();
      await h.finish();
    }
    expect(await all).toEqual([0, 10, 20]);
    expect(h.batches.map((b) => b.length)).toEqual([2, 1]);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new BatchCoalescer<Item, number>((i) => i.key, async () => new Map(), { maxBatch: 0 })).toThrow(/maxBatch/);
  });
});
