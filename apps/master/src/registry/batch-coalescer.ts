/**
 * Coalesces many small requests into few batched ones: requests submitted while a batch runs
 * wait and go together in the next one, so the batch size adapts to how slow the batch is (one
 * request alone goes at once; a thousand arriving during one round trip share the next). At most
 * one batch runs at a time. Requests with the same key in one batch are merged: the latest value
 * is sent and every caller gets its answer. No I/O of its own: `runBatch` does it.
 */
export interface CoalescerOptions {
  /** At most this many distinct keys per batch. */
  readonly maxBatch: number;
  /** Runs the next batch later (default setImmediate: requests arriving in the same I/O turn go together). */
  readonly defer?: (run: () => void) => void;
}

/** Answers of one batch by key: a value, or the error for that key alone. */
export type BatchAnswers<R> = ReadonlyMap<string, R | Error>;

interface Waiting<V, R> {
  value: V;
  readonly waiters: { resolve: (r: R) => void; reject: (e: Error) => void }[];
}

export class BatchCoalescer<V, R> {
  private queued = new Map<string, Waiting<V, R>>();
  private running = false;
  private scheduled = false;
  private readonly defer: (run: () => void) => void;

  constructor(
    private readonly keyOf: (value: V) => string,
    private readonly runBatch: (values: V[]) => Promise<BatchAnswers<R>>,
    private readonly options: CoalescerOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new Error('maxBatch must be a positive integer');
    this.defer = options.defer ?? ((run) => void setImmediate(run));
  }

  /** Queues `value` for the next batch; resolves with its answer, rejects with its error. */
  submit(value: V): Promise<R> {
    return new Promise((resolve, reject) => {
      const key = this.keyOf(value);
      const waiting = this.queued.get(key);
      if (waiting !== undefined) {
        waiting.value = value;
        waiting.waiters.push({ resolve, reject });
      } else {
        this.queued.set(key, { value, waiters: [{ resolve, reject }] });
      }
      this.kick();
    });
  }

  /** Requests waiting for a batch (for tests and metrics). */
  get pending(): number {
    return this.queued.size;
  }

  private kick(): void {
    if (this.running || this.scheduled || this.queued.size === 0) return;
    this.scheduled = true;
    this.defer(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running || this.queued.size === 0) return;
    this.running = true;
    const batch = new Map<string, Waiting<V, R>>();
    for (const [key, waiting] of this.queued) {
      if (batch.size >= this.options.maxBatch) break;
      batch.set(key, waiting);
    }
    for (const key of batch.keys()) this.queued.delete(key);
    try {
      const answers = await this.runBatch([...batch.values()].map((w) => w.value));
      for (const [key, waiting] of batch) {
        const answer = answers.has(key) ? answers.get(key) : new Error(`the batch gave no answer for ${key}`);
        for (const w of waiting.waiters) {
          if (answer instanceof Error) w.reject(answer);
          else w.resolve(answer as R);
        }
      }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const waiting of batch.values()) for (const w of waiting.waiters) w.reject(error);
    } finally {
      this.running = false;
      this.kick();
    }
  }
}
