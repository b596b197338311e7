import { Injectable } from '@nestjs/common';
import { Resources, toV0, type V0Resources } from '@agora/resources';
import { Clock } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { DockerSupport } from '../drivers/docker/docker-support';
import { describeAddress } from '../drivers/docker/engine-address';
import { AgentProfile } from '../machine/agent-profile';
import { attributesToV0 } from '../machine/attributes';
import { AGENT_CAPABILITIES, AgentVersion } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import { ExecutorRegistry } from '../executors/executor-registry';
import { withExecutors } from '../executors/executor-state';
import { TaskRegistry } from '../tasks/task-registry';
import { executorJson, type FrameworkJson, frameworkJson } from './state-model';

/** The agent's `/state` (reference §5.8): who it is, what it has, and every framework's executors and tasks. */
@Injectable()
export class StateService {
  private readonly startTime: number;

  constructor(
    private readonly profile: AgentProfile,
    private readonly session: AgentSession,
    private readonly registry: TaskRegistry,
    private readonly config: AgentConfig,
    private readonly version: AgentVersion,
    clock: Clock,
    private readonly docker: DockerSupport,
    private readonly executors: ExecutorRegistry,
  ) {
    this.startTime = clock.now() / 1000;
  }

  state(): Record<string, unknown> {
    const agentId = this.session.agentId ?? '';
    const resources = this.profile.resources;
    const live = this.registry.frameworks().map((f) =>
      frameworkJson(
        f.info,
        [...f.runs.values()].map((run) => executorJson(run, agentId)),
        this.registry.completedRuns(f.info.id.value).map((run) => executorJson(run, agentId)),
      ),
    );
    const completed: FrameworkJson[] = this.registry
      .completedFrameworks()
      .map((f) => frameworkJson(f.info, [], f.runs.map((run) => executorJson(run, agentId))));
    // Custom and default executors join the command executors' frameworks (executors/).
    const all = withExecutors({ frameworks: live, completed }, this.executors, agentId);
    return {
      version: this.version.value,
      start_time: this.startTime,
      id: agentId,
      pid: `slave(1)@${this.profile.ip}:${this.session.port}`,
      hostname: this.profile.hostname,
      port: this.session.port,
      capabilities: AGENT_CAPABILITIES,
      registered: this.session.registered,
      // Whether a Docker engine answered: tasks with a Docker container run here only then.
      docker: this.docker.available,
      resources: toV0(resources),
      reserved_resources: reservedByRole(resources),
      unreserved_resources: toV0(resources.unreserved()),
      attributes: attributesToV0(this.profile.attributes),
      ...(this.session.masterId !== undefined ? { master_id: this.session.masterId } : {}),
      flags: {
        work_dir: this.profile.workDir,
        port: String(this.session.port),
        hostname: this.profile.hostname,
        advertise_ip: this.profile.ip,
        docker: this.docker.mode,
        docker_host: describeAddress(this.docker.address),
        ...(this.config.resources !== undefined ? { resources: this.config.resources } : {}),
        ...(this.config.attributes !== undefined ? { attributes: this.config.attributes } : {}),
      },
      frameworks: all.frameworks,
      completed_frameworks: all.completed,
    };
  }
}

function reservedByRole(resources: Resources): Record<string, V0Resources> {
  const out: Record<string, V0Resources> = {};
  for (const [role, reserved] of resources.reservedByRole()) out[role] = toV0(reserved);
  return out;
}
