/**
 * Answers that arrive together are made once, as Mesos batches concurrent read-only requests:
 * the first request schedules the rendering for the end of the current turn of the event loop,
 * and every request that arrives before it runs gets the same answer. The answer is made after
 * all of them arrived, so none sees a state older than its request; a request that arrives later
 * waits for the next rendering. Many dashboards polling `/state` then cost one rendering per turn.
 */
export class Batched<T> {
  private waiting: { resolve: (value: T) => void; reject: (e: unknown) => void }[] | undefined;

  constructor(private readonly make: () => T) {}

  get(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.waiting !== undefined) {
        this.waiting.push({ resolve, reject });
        return;
      }
      this.waiting = [{ resolve, reject }];
      setImmediate(() => this.run());
    });
  }

  private run(): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    try {
      const value = this.make();
      for (const w of waiting) w.resolve(value);
    } catch (e) {
      for (const w of waiting) w.reject(e);
    }
  }
}
