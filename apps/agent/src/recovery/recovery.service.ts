import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { TaskStatusReason } from '@agora/protocol';
import { CheckpointStore, type CheckpointedFramework } from '../checkpoint/checkpoint-store';
import { Clock } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { DockerSupport } from '../drivers/docker/docker-support';
import { ExecutorsService } from '../executors/executors.service';
import { AgentProfile } from '../machine/agent-profile';
import { AgentMetaStore } from '../registration/agent-meta.store';
import { sameResources } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';
import { hasCapability } from '../tasks/task-run';
import { taskStatus } from '../tasks/task-statuses';
import { findLeftovers, killGroups } from './leftover-processes';
import { agentRecovery, type AgentRecovery, lostState, taskRecovery } from './recovery-plan';

/** What recovery found, for the log and for tests. */
export interface RecoverySummary {
  readonly decision: AgentRecovery;
  readonly recovered: number;
  readonly lost: number;
  readonly leftoversKilled: number;
}

/**
 * Agent recovery at start (DESIGN §7, reference §5.4), before the agent registers: reads the
 * checkpoint (checkpoint/), gives every checkpointed task back to the command executor, which
 * finds its run again through the driver (a process by pid, start time and boot id) and watches
 * it, or reports how it ended while the agent was down; puts the unacknowledged status updates
 * back into the manager, which resends them once the agent is registered; then kills whatever
 * else an earlier agent process left running. The agent then re-registers under the same id
 * with the recovered tasks (registration/).
 *
 * `--recover=cleanup` (and an agent that has no id to return under) kills everything instead
 * and forgets the tasks. Unlike Mesos, whose agent exits after a cleanup, this agent keeps its
 * id and goes on: it re-registers with no tasks, and the master ends the old ones as lost.
 */
@Injectable()
export class RecoveryService implements OnModuleInit {
  private readonly logger = new Logger('recovery');

  constructor(
    private readonly config: AgentConfig,
    private readonly profile: AgentProfile,
    private readonly session: AgentSession,
    private readonly meta: AgentMetaStore,
    private readonly checkpoints: CheckpointStore,
    private readonly tasks: CommandExecutorService,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly clock: Clock,
    private readonly docker: DockerSupport,
    private readonly executors: ExecutorsService,
  ) {}

  onModuleInit(): void {
    // Whatever stream delivered its terminal update is over, whoever ran the task (executors'
    // tasks are journaled too, and tasks recovered only to be reported lost have no run).
    this.statusUpdates.onStreamClosed((frameworkId, taskId) => this.checkpoints.removeTask(frameworkId, taskId));
  }

  async recover(): Promise<RecoverySummary> {
    const meta = await this.meta.read().catch(() => undefined);
    const decision = agentRecovery(this.config.recover, meta === undefined ? 'none' : sameResources(meta.resources, this.profile) ? 'same-resources' : 'other-resources');
    const checkpointed = await this.checkpoints.readAll();
    if (decision !== 'reconnect' || meta === undefined) return this.cleanup(decision, checkpointed, meta?.id);
    // Statuses of recovered tasks name this agent; registration confirms the id with the master.
    this.session.agentId = meta.id;
    let recovered = 0;
    let lost = 0;
    const keep = new Set<number>();
    const resubscribing: Promise<void>[] = [];
    for (const framework of checkpointed) {
      this.checkpoints.adoptFramework(framework.info.id.value);
      // Tasks of executors come back with their executor: a custom one is given time to subscribe
      // again, the default executor (task groups) finds its tasks' runs.
      const byExecutor = new Set(framework.executors.flatMap((e) => e.tasks.map((t) => t.task_id.value)));
      const journals = new Map(framework.tasks.filter((t) => byExecutor.has(t.taskId)).map((t) => [t.taskId, t.journal.statuses] as const));
      for (const task of framework.tasks.filter((t) => byExecutor.has(t.taskId))) this.statusUpdates.restore(framework.info.id.value, task.journal.pending);
      for (const executor of framework.executors) {
        if (executor.kind === 'default') {
          // Task groups: the default executor lives in the agent; its tasks' runs are found again.
          resubscribing.push(
            this.executors.adoptDefault(framework.info, executor, journals).then(
              (pids) => pids.forEach((pid) => keep.add(pid)),
              (e: unknown) => this.logger.error(`could not recover the default executor ${executor.info.executor_id.value} of framework ${framework.info.id.value}: ${(e as Error).message}`),
            ),
          );
          recovered += executor.tasks.length;
          continue;
        }
        if (executor.run.pid !== undefined) keep.add(executor.run.pid);
        resubscribing.push(
          this.executors.adoptCustom(framework.info, executor, journals).catch((e: unknown) => {
            this.logger.error(`could not recover executor ${executor.info.executor_id.value} of framework ${framework.info.id.value}: ${(e as Error).message}`);
          }),
        );
        recovered += executor.tasks.length;
      }
      for (const task of framework.tasks.filter((t) => !byExecutor.has(t.taskId))) {
        const plan = taskRecovery({ launched: task.checkpoint?.run.pid !== undefined, statuses: task.journal.statuses });
        if (plan === 'deliver' && task.journal.pending.length === 0) {
          // Over and acknowledged; the agent went before it removed the checkpoint.
          this.checkpoints.removeTask(framework.info.id.value, task.taskId, task.checkpoint?.run.containerId);
          continue;
        }
        this.statusUpdates.restore(framework.info.id.value, task.journal.pending);
        if (plan === 'deliver' && task.checkpoint === undefined) continue;
        if (plan === 'lost-launching' || task.checkpoint === undefined) {
          this.reportLost(framework, task.taskId, 'The agent restarted before the task was running; it cannot be recovered');
          lost++;
          continue;
        }
        try {
          const run = await this.tasks.adopt(framework.info, { info: task.checkpoint.info, run: task.checkpoint.run, statuses: task.journal.statuses });
          recovered++;
          if (run.pid !== undefined && run.phase === 'running') keep.add(run.pid);
        } catch (e) {
          // A checkpoint this agent cannot act on must not keep it from starting: the task is reported lost.
          this.logger.error(`could not recover task ${task.taskId} of framework ${framework.info.id.value}: ${(e as Error).message}`);
          this.reportLost(framework, task.taskId, `The agent could not recover the task: ${(e as Error).message}`);
          lost++;
        }
      }
    }
    // Mesos re-registers only once the executors came back or were given up (reference §5.4).
    await Promise.all(resubscribing);
    const leftovers = await this.killLeftovers(meta.id, keep);
    const summary = { decision, recovered, lost, leftoversKilled: leftovers };
    if (recovered + lost + leftovers > 0) {
      this.logger.log(`recovered ${recovered} task(s) of ${checkpointed.length} checkpointing framework(s); ${lost} lost while launching; ${leftovers} leftover(s) killed`);
    }
    return summary;
  }

  /** Kills every checkpointed run and every leftover, and forgets the checkpointed tasks. */
  private async cleanup(decision: AgentRecovery, checkpointed: readonly CheckpointedFramework[], agentId: string | undefined): Promise<RecoverySummary> {
    let killed = 0;
    for (const framework of checkpointed) {
      for (const task of framework.tasks) {
        const pid = task.checkpoint?.run.pid;
        if (task.checkpoint === undefined) continue;
        // Taken over first, so a checkpointed process is killed only if it still is the task's (never a recycled pid).
        const adopted = await this.tasks.adopt(framework.info, { info: task.checkpoint.info, run: task.checkpoint.run, statuses: [] }).catch((e: unknown) => {
          this.logger.error(`could not take task ${task.taskId} back to kill it: ${(e as Error).message}`);
          return undefined;
        });
        if (adopted !== undefined && pid !== undefined) killed++;
      }
    }
    await this.tasks.killAll(`recovery (${decision})`, { keepAccepting: true });
    await this.checkpoints.clear();
    const leftovers = agentId === undefined ? 0 : await this.killLeftovers(agentId, new Set());
    if (killed + leftovers > 0 || decision === 'cleanup') {
      this.logger.log(
        decision === 'cleanup'
          ? `--recover=cleanup: killed the ${checkpointed.reduce((n, f) => n + f.tasks.length, 0)} checkpointed task(s) and ${leftovers} leftover(s); re-registering without tasks`
          : `no agent id to recover under: killed ${killed} checkpointed task(s) and ${leftovers} leftover(s)`,
      );
    }
    return { decision, recovered: 0, lost: 0, leftoversKilled: leftovers };
  }

  /** Processes and containers of this agent that no recovered task owns. */
  private async killLeftovers(agentId: string, keep: ReadonlySet<number>): Promise<number> {
    const pids = await findLeftovers({ agentId, workDir: this.profile.workDir, keep });
    if (pids.length > 0) this.logger.warn(`killing ${pids.length} process group(s) an earlier agent process left: ${pids.join(', ')}`);
    killGroups(pids);
    const containers = this.docker.available ? await this.docker.driver.removeLeftovers(agentId) : 0;
    if (containers > 0) this.logger.warn(`removed ${containers} Docker container(s) an earlier agent process left`);
    return pids.length + containers;
  }

  /** A task the agent cannot account for, reported lost (it has no run to watch). */
  private reportLost(framework: CheckpointedFramework, taskId: string, message: string): void {
    this.statusUpdates.update(
      framework.info.id.value,
      taskStatus({
        taskId,
        state: lostState(hasCapability(framework.info, 'PARTITION_AWARE')),
        source: 'SOURCE_AGENT',
        agentId: this.session.agentId ?? '',
        now: this.clock.now(),
        reason: TaskStatusReason.EXECUTOR_TERMINATED,
        message,
      }),
    );
  }
}
