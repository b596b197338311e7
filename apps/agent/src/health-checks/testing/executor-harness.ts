/**
 * Test wiring of the command executor with health checks: a real StatusUpdateManager whose
 * updates are recorded instead of sent, a task registry, sandboxes in a temp work dir, and the
 * driver, clock and probes a test chooses. For this folder's specs only.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { FrameworkInfo, RunTask, TaskInfo, TaskStatus } from '@agora/protocol';
import { Resources } from '@agora/resources';
import type { Clock } from '../../clock/clock';
import { loadAgentConfig } from '../../config/agent.config';
import type { TaskDriver } from '../../drivers/task-driver';
import { AgentProfile } from '../../machine/agent-profile';
import { AgentCounters } from '../../metrics/agent-counters';
import { SandboxService } from '../../sandbox/sandbox.service';
import { AgentSession } from '../../session/agent-session';
import { InMemoryJournal } from '../../status-updates/status-update-journal';
import { StatusUpdateManager } from '../../status-updates/status-update-manager';
import { CommandExecutorService } from '../../tasks/command-executor.service';
import { TaskRegistry } from '../../tasks/task-registry';
import { HealthCheckService } from '../health-checks.service';
import type { HealthProbes } from '../health-probes';

export const FW = 'fw-1';

export async function executorHarness(driver: TaskDriver, clock: Clock, probes: HealthProbes) {
  const workDir = await mkdtemp(join(tmpdir(), 'agora-health-'));
  const session = new AgentSession();
  session.agentId = 'agent-1';
  const config = loadAgentConfig({ killGraceMs: 3000 }, {});
  const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
  const statusUpdates = new StatusUpdateManager(new AgoraBus(new InProcessTransport()), clock, session, config, new InMemoryJournal());
  const updates: TaskStatus[] = [];
  jest.spyOn(statusUpdates, 'update').mockImplementation((_frameworkId, status) => {
    updates.push(status);
  });
  const registry = new TaskRegistry();
  const healthChecks = new HealthCheckService(clock, probes);
  const counters = new AgentCounters();
  const executor = new CommandExecutorService(registry, statusUpdates, driver, new SandboxService(profile), session, config, clock, healthChecks, counters);
  executor.onModuleInit();
  return { workDir, updates, registry, executor, healthChecks, counters };
}

export function runTask(task: Partial<TaskInfo> & { task_id: { value: string } }, framework: Partial<FrameworkInfo> = {}): RunTask {
  return {
    epoch: 1,
    framework: { id: { value: FW }, user: 'root', name: 'f', ...framework },
    task: { name: task.task_id.value, agent_id: { value: 'agent-1' }, command: { value: 'true' }, ...task },
  };
}

/** The updates compactly: `TASK_RUNNING`, `TASK_RUNNING healthy`, `TASK_RUNNING unhealthy`, `TASK_KILLED unhealthy`. */
export function summary(updates: readonly TaskStatus[]): string[] {
  return updates.map((s) => `${s.state}${s.healthy === undefined ? '' : s.healthy ? ' healthy' : ' unhealthy'}`);
}
