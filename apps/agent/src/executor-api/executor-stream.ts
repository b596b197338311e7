import type { Response } from 'express';
import { encodeExecutorEvent, type ExecutorEvent } from '@agora/protocol';
import type { ExecutorConnection } from '../executors/executor-connection';

/**
 * One executor's SUBSCRIBE response: a chunked RecordIO stream of events (reference §1.2), one
 * record per write — executor libraries such as the npm `mesos-framework` read one record per
 * chunk. When the executor goes away `onClose` runs once.
 */
export class HttpExecutorStream implements ExecutorConnection {
  private open = true;

  constructor(
    private readonly response: Response,
    private readonly onClose: (stream: HttpExecutorStream) => void,
  ) {
    response.on('close', () => this.closed());
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(event: ExecutorEvent): void {
    if (!this.open) return;
    this.response.write(encodeExecutorEvent(event));
  }

  close(last?: ExecutorEvent): void {
    if (!this.open) return;
    if (last !== undefined) this.send(last);
    this.response.end();
    this.closed();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose(this);
  }
}
