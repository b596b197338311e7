/**
 * What `docker create` gets for a task: the Docker containerizer's choices of Mesos (reference
 * §5.6), written as Engine API options. Pure: a TaskLaunch in, the container's name, image and
 * options out, or a TaskStartError (REASON_CONTAINER_LAUNCH_FAILED) saying what this agent
 * cannot do for it. Every rule here is a table test (container-spec.spec.ts).
 *
 * - Name `mesos-<containerId>`, as Mesos names its containers, and labels naming the container,
 *   task, framework, executor and agent, so the agent can find its containers again.
 * - Network HOST (the default) or NONE; no bridge exists on these machines (DESIGN §11).
 * - CPU shares 1024 per requested cpu (at least 2), a CFS quota of the cpu limit per 100 ms,
 *   memory limited to the memory limit (at least 32 MB) with no swap beyond it.
 * - The sandbox bind-mounted at /mnt/mesos/sandbox, and MESOS_SANDBOX pointing there.
 * - The command as Mesos runs it: no value keeps the image's own command; `shell` (the default)
 *   runs `/bin/sh -c value` in place of the image's entrypoint; without `shell`, the value and
 *   the arguments are the arguments of the image's entrypoint.
 */
import { isAbsolute, normalize, resolve } from 'node:path';
import type { ContainerCreateOptions, HostConfig } from 'dockerode';
import { type ContainerInfo, type DockerInfo, TaskStatusReason } from '@agora/protocol';
import { type TaskLaunch, TaskStartError } from '../task-driver';

/** Where the sandbox appears inside the container (Mesos --sandbox_directory). */
export const SANDBOX_MOUNT = '/mnt/mesos/sandbox';
/** Mesos's prefix: every container so named belongs to an agent. */
export const CONTAINER_NAME_PREFIX = 'mesos-';

/** Labels on every task container; `agora.container-id` alone says Agora started it. */
export const LABELS = {
  containerId: 'agora.container-id',
  taskId: 'agora.task-id',
  frameworkId: 'agora.framework-id',
  executorId: 'agora.executor-id',
  agentId: 'agora.agent-id',
} as const;

const MIB = 1024 * 1024;
/** Mesos's floor for a Docker container's memory: less and the engine or the task misbehaves. */
export const MIN_MEMORY_MB = 32;
export const CPU_SHARES_PER_CPU = 1024;
export const MIN_CPU_SHARES = 2;
export const CFS_PERIOD_US = 100_000;
/** The engine refuses a CFS quota under 1 ms. */
export const MIN_CFS_QUOTA_US = 1000;

/** The `docker run` parameters (DockerInfo.parameters) this agent knows how to apply. */
const SUPPORTED_PARAMETERS = ['env', 'label', 'user', 'workdir'] as const;

export interface ContainerPlan {
  /** `mesos-<containerId>`. */
  readonly name: string;
  readonly image: string;
  /** DockerInfo.force_pull_image: pull even when the image is present. */
  readonly forcePull: boolean;
  readonly options: ContainerCreateOptions;
}

/** The container for `launch`; throws TaskStartError when its ContainerInfo asks for what this agent cannot do. */
export function containerPlan(launch: TaskLaunch): ContainerPlan {
  const docker = dockerInfoOf(launch.container);
  const name = `${CONTAINER_NAME_PREFIX}${launch.containerId}`;
  const parameters = parametersOf(docker);
  return {
    name,
    image: docker.image,
    forcePull: docker.force_pull_image === true,
    options: {
      name,
      Image: docker.image,
      ...commandOptions(launch),
      Env: [...environment(launch, name), ...parameters.env],
      // Ours last: a `label` parameter must not disguise whose container this is.
      Labels: { ...parameters.labels, ...labels(launch) },
      ...(parameters.user !== undefined ? { User: parameters.user } : {}),
      ...(parameters.workdir !== undefined ? { WorkingDir: parameters.workdir } : {}),
      ...(docker.network === 'NONE' && launch.container?.hostname !== undefined ? { Hostname: launch.container.hostname } : {}),
      HostConfig: hostConfig(launch, docker),
    },
  };
}

function refuse(message: string): never {
  throw new TaskStartError(message, { reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED });
}

function dockerInfoOf(container: ContainerInfo | undefined): DockerInfo {
  if (container?.type !== 'DOCKER') refuse('The task has no DOCKER container to run');
  const docker = container.docker;
  if (docker === undefined || docker.image.trim() === '') refuse('The DOCKER container names no image (ContainerInfo.docker.image)');
  const network = docker.network ?? 'HOST';
  if (network !== 'HOST' && network !== 'NONE') {
    refuse(`Docker network ${network} is not supported on this agent: containers run with HOST or NONE networking (there is no bridge)`);
  }
  if ((docker.port_mappings ?? []).length > 0) {
    refuse(`Docker port mappings need BRIDGE networking, which this agent does not have; with HOST networking the task listens on the agent's ports directly`);
  }
  if (docker.volume_driver !== undefined) refuse(`Docker volume drivers are not supported on this agent (volume_driver '${docker.volume_driver}')`);
  return docker;
}

/**
 * Entrypoint and Cmd overrides, as Mesos's `Docker::RunOptions::create`. A shell command
 * replaces the entrypoint with `/bin/sh` (MESOS-1770: the user means their command, not the
 * image's entrypoint); arguments without `shell` go to the image's entrypoint; no command at
 * all keeps what the image says.
 */
export function commandOptions(launch: TaskLaunch): Pick<ContainerCreateOptions, 'Entrypoint' | 'Cmd'> {
  const { value, arguments: args = [] } = launch.command;
  const shell = launch.command.shell ?? true;
  if (shell) return value === undefined ? {} : { Entrypoint: ['/bin/sh'], Cmd: ['-c', value] };
  const argv = [...(value !== undefined ? [value] : []), ...args];
  return argv.length === 0 ? {} : { Cmd: argv };
}

/**
 * The task's environment as the agent composed it, with MESOS_SANDBOX moved to where the
 * sandbox is inside the container (unless the task set it itself), and MESOS_CONTAINER_NAME.
 * MESOS_DIRECTORY keeps the agent's path, as in Mesos. PATH and HOME come from the image.
 */
function environment(launch: TaskLaunch, name: string): string[] {
  const env: Record<string, string> = { ...launch.env };
  if (env.MESOS_SANDBOX === undefined || env.MESOS_SANDBOX === launch.sandbox) env.MESOS_SANDBOX = SANDBOX_MOUNT;
  env.MESOS_CONTAINER_NAME = name;
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

function labels(launch: TaskLaunch): Record<string, string> {
  const owner = launch.owner;
  return {
    [LABELS.containerId]: launch.containerId,
    ...(owner?.taskId !== undefined ? { [LABELS.taskId]: owner.taskId } : {}),
    ...(owner !== undefined
      ? { [LABELS.frameworkId]: owner.frameworkId, [LABELS.executorId]: owner.executorId, [LABELS.agentId]: owner.agentId }
      : {}),
  };
}

function hostConfig(launch: TaskLaunch, docker: DockerInfo): HostConfig {
  return {
    NetworkMode: docker.network === 'NONE' ? 'none' : 'host',
    Binds: [`${launch.sandbox}:${SANDBOX_MOUNT}`, ...volumeBinds(launch)],
    // A small init as PID 1 (the engine's docker-init): SIGTERM from a kill reaches the task's
    // command as it would outside a container (PID 1 ignores signals it has no handler for),
    // and processes the command leaves behind are reaped.
    Init: true,
    ...(docker.privileged === true ? { Privileged: true } : {}),
    ...cpuOptions(launch),
    ...memoryOptions(launch),
  };
}

/** CPU shares weigh by what the task asked for; the CFS quota enforces its limit. */
export function cpuOptions(launch: Pick<TaskLaunch, 'limits' | 'requested'>): Pick<HostConfig, 'CpuShares' | 'CpuPeriod' | 'CpuQuota'> {
  const weight = launch.requested?.cpus ?? launch.limits.cpus;
  const limit = launch.limits.cpus;
  return {
    ...(weight !== undefined ? { CpuShares: Math.max(MIN_CPU_SHARES, Math.round(weight * CPU_SHARES_PER_CPU)) } : {}),
    ...(limit !== undefined ? { CpuPeriod: CFS_PERIOD_US, CpuQuota: Math.max(MIN_CFS_QUOTA_US, Math.round(limit * CFS_PERIOD_US)) } : {}),
  };
}

/**
 * The memory limit, at least MIN_MEMORY_MB, with swap capped at the same amount so a task
 * past its limit is killed rather than swapped; what the task asked for, when below its
 * limit, is its soft reservation (Mesos: --memory-reservation).
 */
export function memoryOptions(launch: Pick<TaskLaunch, 'limits' | 'requested'>): Pick<HostConfig, 'Memory' | 'MemorySwap' | 'MemoryReservation'> {
  const limitMb = launch.limits.memMb;
  if (limitMb === undefined) return {};
  const memory = Math.round(Math.max(limitMb, MIN_MEMORY_MB) * MIB);
  const requestedMb = launch.requested?.memMb;
  const reservation = requestedMb !== undefined ? Math.round(Math.max(requestedMb, MIN_MEMORY_MB) * MIB) : undefined;
  return {
    Memory: memory,
    MemorySwap: memory,
    ...(reservation !== undefined && reservation < memory ? { MemoryReservation: reservation } : {}),
  };
}

/**
 * ContainerInfo.volumes as bind mounts, as Mesos's Docker containerizer maps them: an absolute
 * host path as it is, a relative one inside the sandbox (never outside it); a relative
 * container path under the sandbox mount. Image and source volumes need a containerizer
 * Agora does not have.
 */
function volumeBinds(launch: TaskLaunch): string[] {
  return (launch.container?.volumes ?? []).map((volume) => {
    if (volume.image !== undefined || volume.source !== undefined || volume.host_path === undefined) {
      refuse(`Volume '${volume.container_path}' needs a host_path: image and source volumes are not supported on this agent`);
    }
    const host = isAbsolute(volume.host_path) ? normalize(volume.host_path) : resolve(launch.sandbox, volume.host_path);
    if (!isAbsolute(volume.host_path) && !(host === launch.sandbox || host.startsWith(`${launch.sandbox}/`))) {
      refuse(`Volume host_path '${volume.host_path}' leaves the sandbox`);
    }
    const target = isAbsolute(volume.container_path) ? volume.container_path : `${SANDBOX_MOUNT}/${volume.container_path}`;
    return `${host}:${normalize(target)}:${volume.mode === 'RO' ? 'ro' : 'rw'}`;
  });
}

interface Parameters {
  readonly env: string[];
  readonly labels: Record<string, string>;
  readonly user?: string;
  readonly workdir?: string;
}

/**
 * DockerInfo.parameters are `docker run` flags in Mesos; the few with an Engine API field are
 * applied, and any other is refused rather than silently dropped (the task would run other
 * than its author meant).
 */
function parametersOf(docker: DockerInfo): Parameters {
  const env: string[] = [];
  const labels: Record<string, string> = {};
  let user: string | undefined;
  let workdir: string | undefined;
  const unsupported: string[] = [];
  for (const { key, value } of docker.parameters ?? []) {
    switch (key) {
      case 'env':
        env.push(value);
        break;
      case 'label': {
        const equals = value.indexOf('=');
        labels[equals === -1 ? value : value.slice(0, equals)] = equals === -1 ? '' : value.slice(equals + 1);
        break;
      }
      case 'user':
        user = value;
        break;
      case 'workdir':
        workdir = value;
        break;
      default:
        unsupported.push(key);
    }
  }
  if (unsupported.length > 0) {
    refuse(`Docker parameters not supported on this agent: ${unsupported.join(', ')} (supported: ${SUPPORTED_PARAMETERS.join(', ')})`);
  }
  return { env, labels, user, workdir };
}
