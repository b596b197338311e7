/**
 * The messages between master and agents, by kind (the last token of their subject). Field
 * names are snake_case like the Mesos messages they embed. Every message from the master
 * carries `epoch`, the leader's term: an agent ignores commands from an epoch older than the
 * newest it has seen, so a deposed leader cannot act (fencing). Each message stays under
 * 64 KiB encoded (encodeBusMessage checks).
 */
import type { TaskState } from '../task-state';
import type { AgentID, AgentInfo, DrainConfig, ExecutorID, FrameworkID, FrameworkInfo, TaskID } from '../scheduler/mesos-types';
import type { ExecutorInfo, KillPolicy, TaskGroupInfo, TaskInfo, TaskStatus } from '../scheduler/task-types';

/** Present on everything the master sends. */
export interface FromMaster {
  epoch: number;
}

// ---- agent → master -----------------------------------------------------------------------------

/** A new agent asks to join; answered with `registered`. `agent_info.id` is absent. */
export interface RegisterAgent {
  agent_info: AgentInfo;
  /** Agora version of the agent. */
  version: string;
  /** Agent capabilities (e.g. MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT). */
  capabilities?: string[];
  /** The address the agent's HTTP API (files, executor API) answers on; goes into offers' `url`. */
  ip?: string;
  /**
   * A random id of the agent process, the same in all its attempts: a retry whose answer came
   * too late gets the id the master already gave (Mesos resends "registered" to an agent that
   * is already registered), while a restarted agent, with a new session, is a new agent.
   */
  session?: string;
}

/** A task as the agent knows it, for re-registration. */
export interface AgentTask {
  framework_id: FrameworkID;
  task: TaskInfo;
  /** The latest state the agent has seen. */
  state: TaskState;
  /** The state and uuid (base64) of the oldest unacknowledged status update, if any. */
  status_update_state?: TaskState;
  status_update_uuid?: string;
}

/**
 * A known agent (restarted, or meeting a new leader) rejoins with what runs on it; answered
 * with `registered`. `agent_info.id` is required. The master rebuilds its view of the agent's
 * tasks from this, since tasks are never stored in the registry.
 */
export interface ReregisterAgent {
  agent_info: AgentInfo & { id: AgentID };
  version: string;
  capabilities?: string[];
  /** As in RegisterAgent. */
  ip?: string;
  /** Frameworks with tasks or executors on the agent; each with `id`. */
  frameworks?: FrameworkInfo[];
  /** Executors running on the agent; each with `framework_id`. */
  executors?: ExecutorInfo[];
  tasks?: AgentTask[];
  /**
   * The agent process's random session (RegisterAgent.session). A session the master has not
   * seen for this agent means a new process: tasks of frameworks without checkpointing died
   * with the old one.
   */
  session?: string;
}

/**
 * The agent process is stopping (a graceful shutdown). NATS has no per-agent connection whose
 * break the master could notice, so the agent says so: the master deactivates the agent, and
 * the tasks of frameworks without checkpointing are lost at once (reference §5.3).
 */
export interface AgentExiting {
  agent_id: AgentID;
  /** The session of the process that stops; an older process's late message is ignored. */
  session?: string;
}

/**
 * A task status update from the agent's status-update manager (always with `status.uuid`):
 * the head of the task's queue, resent until a `status-ack` with the same uuid arrives.
 */
export interface StatusUpdate {
  agent_id: AgentID;
  framework_id: FrameworkID;
  status: TaskStatus;
  /** The newest state the agent knows, which may be ahead of `status.state` while updates queue. */
  latest_state?: TaskState;
}

/**
 * A task ended while its status update queue still waits for an acknowledgement (a short task's
 * TASK_STARTING not yet acknowledged when it exits): the master releases the task's resources
 * now, as it would on a status update carrying this `latest_state`, and tells the framework
 * nothing; the updates themselves follow in order. It saves a framework round trip per short
 * task in the time a task's resources stay taken.
 */
export interface TaskEnded {
  agent_id: AgentID;
  framework_id: FrameworkID;
  task_id: TaskID;
  /** A terminal state. */
  latest_state: TaskState;
}

/** An executor's message for its scheduler (the MESSAGE event); `data` is base64. */
export interface ExecutorToFramework {
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: string;
}

/** An executor ended (the FAILURE event); `status` is its wait status / exit code. */
export interface ExecutorExited {
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  status?: number;
}

// ---- replies ------------------------------------------------------------------------------------

/** The answer to `register` and `reregister`. */
export type Registration =
  | (FromMaster & {
      result: 'REGISTERED';
      master_id: string;
      agent_id: AgentID;
      /** The master pings this often ... */
      ping_interval_seconds: number;
      /** ... and marks the agent unreachable after this many pings without a pong. */
      max_missed_pings: number;
    })
  | (FromMaster & {
      result: 'REFUSED';
      message: string;
      /** True when the agent must stop for good (it was marked gone); false: retry later. */
      shutdown: boolean;
    });

/** The answer to `ping`. */
export interface Pong {
  agent_id: AgentID;
}

// ---- master → agent -----------------------------------------------------------------------------

/** Are you there? `registered: false` tells the agent the master does not know it: re-register. */
export interface Ping extends FromMaster {
  registered: boolean;
}

/** Launch a task; `framework.id` is set. */
export interface RunTask extends FromMaster {
  framework: FrameworkInfo & { id: FrameworkID };
  task: TaskInfo;
}

/**
 * LAUNCH_GROUP: start these tasks together under one executor (ExecutorInfo type DEFAULT, with
 * `framework_id`); if one fails the agent kills the others. Delivered atomically: all or none.
 */
export interface RunTaskGroup extends FromMaster {
  framework: FrameworkInfo & { id: FrameworkID };
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
}

/** Kill a task; the kill policy's grace period overrides the task's own (default 3 s). */
export interface KillTask extends FromMaster {
  framework_id: FrameworkID;
  task_id: TaskID;
  kill_policy?: KillPolicy;
}

/** The scheduler acknowledged the status update with this uuid (base64). */
export interface StatusAck extends FromMaster {
  framework_id: FrameworkID;
  task_id: TaskID;
  uuid: string;
}

/** The framework was removed: kill all its tasks and executors on the agent. */
export interface ShutdownFramework extends FromMaster {
  framework_id: FrameworkID;
}

/** The SHUTDOWN call: stop one executor of a framework. */
export interface ShutdownExecutor extends FromMaster {
  framework_id: FrameworkID;
  executor_id: ExecutorID;
}

/** The MESSAGE call, for an executor; `data` is base64. */
export interface FrameworkToExecutor extends FromMaster {
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: string;
}

/**
 * DRAIN_AGENT (Mesos's DrainSlaveMessage): kill every task, each with a grace period of at most
 * `max_grace_period`, and refuse new ones (TASK_DROPPED, REASON_AGENT_DRAINING) until drained.
 */
export interface DrainAgent extends FromMaster {
  config: DrainConfig;
}

/** The agent must stop (it was marked gone, or removed by an operator). */
export interface ShutdownAgent extends FromMaster {
  message: string;
}

// ---- master → all agents ------------------------------------------------------------------------

/** A new leader took over: agents re-register with it (their old registration is for a dead epoch). */
export interface MasterElected extends FromMaster {
  master_id: string;
}

/** Every message, by kind. */
export interface BusMessages {
  register: RegisterAgent;
  reregister: ReregisterAgent;
  'status-update': StatusUpdate;
  'task-ended': TaskEnded;
  'executor-message': ExecutorToFramework;
  'executor-exited': ExecutorExited;
  'agent-exiting': AgentExiting;
  registered: Registration;
  pong: Pong;
  ping: Ping;
  'run-task': RunTask;
  'run-task-group': RunTaskGroup;
  'kill-task': KillTask;
  'status-ack': StatusAck;
  'shutdown-framework': ShutdownFramework;
  'shutdown-executor': ShutdownExecutor;
  'framework-message': FrameworkToExecutor;
  shutdown: ShutdownAgent;
  drain: DrainAgent;
  'master-elected': MasterElected;
}

export type BusKind = keyof BusMessages;
