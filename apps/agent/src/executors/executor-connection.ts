/**
 * An executor's SUBSCRIBE stream, as the executors see it: events go out one at a time, in
 * order. The executor API (executor-api/) implements it over a chunked HTTP response; tests
 * implement it with a list.
 */
import type { ExecutorEvent } from '@agora/protocol';

export interface ExecutorConnection {
  /** Whether the executor is still connected; sends after it left are dropped. */
  readonly isOpen: boolean;
  send(event: ExecutorEvent): void;
  /** Ends the stream, after `last` when given. */
  close(last?: ExecutorEvent): void;
}
