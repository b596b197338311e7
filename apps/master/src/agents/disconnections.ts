import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { isTerminalState, type AgentExiting, type AgentTask, type TaskStatusReason } from '@agora/protocol';
import { Clock, type TimerHandle } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import type { AgentRecord, TaskRecord } from '../cluster/records';
import { taskKey } from '../cluster/records';
import { MasterConfig } from '../config/master.config';
import { TasksService } from '../tasks/tasks.service';
import { AgentMaintenanceService } from './agent-maintenance';

/**
 * Broken agent connections (reference §5.3, §6.4). Mesos notices the agent's socket break; over
 * NATS there is no per-agent connection, so the signals are an agent process that says it exits
 * (`agent-exiting`) and an agent that re-registers from a new process (a new session). Either
 * way the tasks of frameworks without checkpointing died with the process: they are TASK_LOST
 * (REASON_AGENT_DISCONNECTED, or REASON_AGENT_RESTARTED) at once, whatever the framework's
 * partition awareness, as Mesos's `removeFramework(slave, framework)` does.
 *
 * A disconnected agent is inactive (no offers, its offers rescinded) and is no longer pinged;
 * it has AGORA_AGENT_REREGISTER_TIMEOUT_MS to re-register, else it is marked unreachable. If it
 * comes back reporting a task that was declared lost, that task is killed.
 */
@Injectable()
export class AgentDisconnections implements OnModuleDestroy {
  private readonly logger = new Logger('agents');
  private readonly timers = new Map<string, TimerHandle>();
  /** Tasks declared lost at a disconnection, by agent id: killed if the agent reports them again. */
  private readonly lost = new Map<string, Set<string>>();
  private markUnreachable: (agent: AgentRecord, why: string) => void = () => undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly tasks: TasksService,
    private readonly maintenance: AgentMaintenanceService,
    private readonly clock: Clock,
    private readonly config: MasterConfig,
  ) {}

  /** AgentsService lends its unreachable transition (it depends on this service, not the other way round). */
  markUnreachableWith(markUnreachable: (agent: AgentRecord, why: string) => void): void {
    this.markUnreachable = markUnreachable;
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /**
   * The agent's process stops. `session` is the session the master last admitted for the agent:
   * a message from an older process (the agent restarted since) is stale and ignored.
   */
  exiting(message: AgentExiting, session: string | undefined): void {
    const agent = this.state.agents.get(message.agent_id.value);
    if (agent === undefined || agent.disconnected === true) return;
    if (message.session !== undefined && session !== undefined && message.session !== session) {
      this.logger.debug(`ignoring agent-exiting of an older process of agent ${agent.id}`);
      return;
    }
    this.logger.warn(`agent ${agent.id} at ${agent.hostname}:${agent.port} disconnected: its process exits`);
    agent.disconnected = true;
    this.maintenance.refreshActivity(agent);
    const lost = this.loseTasksWithoutCheckpointing(agent.id, [...agent.tasks.values()], 'REASON_AGENT_DISCONNECTED', `Agent ${agent.hostname} disconnected`);
    if (lost.length > 0) this.lost.set(agent.id, new Set(lost.map((t) => taskKey(t.frameworkId, t.id))));
    const timeout = this.config.agentReregisterTimeoutMs;
    this.timers.get(agent.id)?.cancel();
    this.timers.set(
      agent.id,
      this.clock.after(timeout, () => {
        this.timers.delete(agent.id);
        if (this.state.agents.get(agent.id) === agent && agent.disconnected === true) {
          this.markUnreachable(agent, `it did not re-register within ${timeout / 1000} s of disconnecting`);
        }
      }),
    );
  }

  /**
   * The agent re-registers: its disconnection ends. `restarted` (a new process) loses the tasks
   * of frameworks without checkpointing that the old process ran and the new one does not
   * report; `reported` are the tasks it reports. Call before its tasks are adopted.
   */
  reregistering(agentId: string, hostname: string, known: ReadonlyMap<string, TaskRecord> | undefined, restarted: boolean, reported: readonly AgentTask[]): void {
    this.timers.get(agentId)?.cancel();
    this.timers.delete(agentId);
    if (known === undefined || !restarted) return;
    const reportedKeys = new Set(reported.map((t) => taskKey(t.framework_id.value, t.task.task_id.value)));
    const gone = [...known.values()].filter((t) => !reportedKeys.has(taskKey(t.frameworkId, t.id)));
    this.loseTasksWithoutCheckpointing(agentId, gone, 'REASON_AGENT_RESTARTED', `Agent ${hostname} restarted`);
  }

  /** Whether the master declared this task lost when the agent disconnected (it must be killed, not adopted). */
  declaredLost(agentId: string, key: string): boolean {
    return this.lost.get(agentId)?.has(key) ?? false;
  }

  /** The agent was re-admitted (or is gone): what was declared lost is settled. */
  settled(agentId: string): void {
    this.lost.delete(agentId);
    this.timers.get(agentId)?.cancel();
    this.timers.delete(agentId);
  }

  private loseTasksWithoutCheckpointing(agentId: string, tasks: readonly TaskRecord[], reason: TaskStatusReason, message: string): TaskRecord[] {
    const lost: TaskRecord[] = [];
    for (const task of tasks) {
      const fw = this.state.frameworks.get(task.frameworkId);
      // Only the framework's live record of the task (not one completed since).
      if (fw === undefined || fw.info.checkpoint === true || fw.tasks.get(task.id) !== task || isTerminalState(task.state)) continue;
      this.tasks.endByMaster(fw, task, 'TASK_LOST', reason, message);
      lost.push(task);
    }
    if (lost.length > 0) this.logger.warn(`agent ${agentId}: ${lost.length} task(s) of frameworks without checkpointing lost (${reason})`);
    return lost;
  }
}
