/** Collects bytes written to a sink, and lets a test wait until some text has arrived. */
export class CollectedOutput {
  private readonly chunks: Buffer[] = [];
  private waiters: (() => void)[] = [];

  readonly sink = (data: Uint8Array): void => {
    this.chunks.push(Buffer.from(data));
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  };

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Resolves once the collected text contains `expected`. */
  async waitFor(expected: string): Promise<void> {
    while (!this.text.includes(expected)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
