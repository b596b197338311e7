import { Injectable, Logger } from '@nestjs/common';
import type { TaskStatus } from '@agora/protocol';
import type { AgentRecord, FrameworkRecord, TaskRecord } from './records';

/**
 * What changed in the live state, as the operator event stream (reference §3.3 SUBSCRIBE)
 * reports it. Emitted synchronously by the services that make the change, after the change.
 */
export type ClusterEvent =
  | { readonly type: 'TASK_ADDED'; readonly task: TaskRecord }
  | { readonly type: 'TASK_UPDATED'; readonly task: TaskRecord; readonly status: TaskStatus }
  | { readonly type: 'FRAMEWORK_ADDED'; readonly framework: FrameworkRecord }
  | { readonly type: 'FRAMEWORK_UPDATED'; readonly framework: FrameworkRecord }
  | { readonly type: 'FRAMEWORK_REMOVED'; readonly framework: FrameworkRecord }
  | { readonly type: 'AGENT_ADDED'; readonly agent: AgentRecord }
  | { readonly type: 'AGENT_REMOVED'; readonly agentId: string };

export type ClusterEventListener = (event: ClusterEvent) => void;

@Injectable()
export class ClusterEvents {
  private readonly logger = new Logger('cluster-events');
  private readonly listeners = new Set<ClusterEventListener>();

  /** Listens until the returned function is called. */
  on(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ClusterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        // A slow or broken subscriber must not break the change that was made.
        this.logger.warn(`listener failed on ${event.type}: ${(e as Error).message}`);
      }
    }
  }
}
