import {
  CommandName,
  DRAIN_MAX_GRACE_PERIOD_SECONDS,
  LOCAL_DEFAULT_AGENTS,
  LOCAL_DEFAULT_PORT,
  LOCAL_MAX_AGENTS,
  RUN_DEFAULT_CPUS,
  RUN_DEFAULT_MEM,
  RUN_DEFAULT_ROLE,
  RUN_DEFAULT_TIMEOUT_SECONDS,
  SIM_DEFAULT_AGENTS,
  SIM_MAX_AGENTS,
  TASKS_DEFAULT_LIMIT,
} from './args';
import { DEFAULT_MASTER_URL } from './master-url';

// The variables listed here are the ones apps/master/src/config/master.config.ts and
// apps/agent/src/config/agent.config.ts read (the only places that read them); keep the lists
// in step with those classes.

const GENERAL = `agora - run and operate an Agora cluster (Mesos-compatible two-level scheduling)

Usage:
  agora <command> [options]

Run a cluster:
  master       run a master (scheduler, operator and health APIs; default port 5050)
  agent        run an agent, one per machine (default port 5051)
  local        run a master and a few agents in this process, to try Agora on one machine
  sim          simulate many agents in this process, for load tests (no task processes)

Use a cluster:
  run          run one command as a task and stream its output, like mesos-execute
  agents       list the agents
  frameworks   list the frameworks
  tasks        list the tasks

Maintain agents:
  drain        kill an agent's tasks and keep it out of service, e.g. before maintenance
  deactivate   stop offering an agent's resources; its tasks keep running
  reactivate   put a deactivated or drained agent back in service

Options:
  -h, --help      show this help; 'agora <command> --help' shows a command's options
  -V, --version   print the version

Flags win over environment variables, which win over defaults. The commands that use a cluster
find its master at --master, else AGORA_MASTER, else ${DEFAULT_MASTER_URL}.`;

const MASTER_FLAG = `  --master URL  the master, e.g. http://10.0.0.1:5050 or host:5050
                (default: AGORA_MASTER, else ${DEFAULT_MASTER_URL})`;

const MASTER_ENV = `Environment:
  AGORA_MASTER  the master when --master is not given`;

/** Variable rows, names padded to one column so that blocks printed together line up. */
function variables(rows: readonly (readonly [string, string])[]): string {
  const indent = ' '.repeat(2 + VARIABLE_COLUMN);
  return rows
    .map(([name, text]) => `  ${name.padEnd(VARIABLE_COLUMN)}${text.split('\n').join(`\n${indent}`)}`)
    .join('\n');
}

const VARIABLE_COLUMN = 40;

const MASTER_SERVER_VARIABLES = variables([
  ['AGORA_MASTER_PORT', 'HTTP port (default 5050)'],
  ['AGORA_MASTER_HOST', 'address to bind (default 0.0.0.0)'],
  ['NATS_URL', 'the bus to agents, e.g. nats://127.0.0.1:4222\n(unset: in-process only, no remote agents)'],
  ['AGORA_BUS_NAMESPACE', 'prefix of every bus subject, shared with the agents\n(several clusters on one NATS server)'],
]);

const MASTER_VARIABLES = variables([
  ['AGORA_ALLOCATION_INTERVAL_MS', 'allocation cycle period (default 1000)'],
  ['AGORA_HEARTBEAT_INTERVAL_SECONDS', 'HEARTBEAT period on scheduler streams (default 15)'],
  ['AGORA_AGENT_PING_INTERVAL_MS', 'how often each agent is pinged (default 15000)'],
  ['AGORA_MAX_AGENT_PING_TIMEOUTS', 'missed pings before an agent is unreachable (default 5)'],
  ['AGORA_OFFER_TIMEOUT_MS', 'rescind unanswered offers after this; 0 never (default 0)'],
  ['AGORA_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS', 'operator event streams at once; the oldest is dropped\n(default 1000)'],
  ['AGORA_MAX_COMPLETED_TASKS_PER_FRAMEWORK', 'completed tasks kept per framework (default 1000)'],
  ['AGORA_MAX_COMPLETED_FRAMEWORKS', 'completed frameworks kept (default 50)'],
  ['AGORA_MASTER_HOSTNAME', "the name the master reports (default: this machine's)"],
  ['DATABASE_URL', "the registry's Postgres, postgres://user:pw@host:5432/db\n(default: an embedded Postgres)"],
  ['AGORA_EMBEDDED_POSTGRES_DIR', 'embedded Postgres data (default .agora/postgres)'],
  ['AGORA_EMBEDDED_POSTGRES_PORT', 'embedded Postgres port on 127.0.0.1 (default 0: any free)'],
  ['AGORA_LEADER_POLL_MS', 'how often a standby tries to lead and re-reads the leader (default 1000)'],
  ['AGORA_LEADER_LEASE_MS', "the leader's lease: silent this long, it loses the lock; it exits\n(status 70) when its lock connection fails (default 10000)"],
  ['AGORA_AGENT_REREGISTER_TIMEOUT_MS', 'after taking office, agents not back within this are unreachable\n(default 600000)'],
  ['AGORA_QUOTA_RECOVERY_FRACTION', 'after taking office, roles with quota wait for this fraction of\nthe agents to re-register (default 0.8)'],
  ['AGORA_QUOTA_RECOVERY_TIMEOUT_MS', '... or for this long (default 600000)'],
]);

const AGENT_SERVER_VARIABLES = variables([
  ['AGORA_AGENT_PORT', 'HTTP port (default 5051)'],
  ['AGORA_AGENT_HOST', 'address to bind (default 0.0.0.0)'],
  ['NATS_URL', 'the bus to the master, e.g. nats://127.0.0.1:4222'],
  ['AGORA_BUS_NAMESPACE', "prefix of every bus subject; the master's"],
  ['AGORA_AGENT_HOSTNAME', "the name offers show (default: the machine's hostname)"],
  ['AGORA_AGENT_ADVERTISE_IP', "the IP its HTTP API is reached at (default 127.0.0.1)"],
  ['AGORA_AGENT_WORK_DIR', 'sandboxes and checkpoints (default .agora/agent-<port>)'],
  ['AGORA_AGENT_RECOVER', 'reconnect or cleanup: what to do with checkpointed tasks at start\n(default reconnect)'],
]);

const AGENT_VARIABLES = variables([
  ['AGORA_AGENT_RESOURCES', "resources to offer, e.g. 'cpus:4;mem:8192'\n(what is left out is detected from the machine)"],
  ['AGORA_AGENT_ATTRIBUTES', "attributes for offers, e.g. 'rack:r1;zone:a'"],
  ['AGORA_STATUS_UPDATE_RETRY_MIN_MS', 'first resend of an unacked status update (default 10000)'],
  ['AGORA_STATUS_UPDATE_RETRY_MAX_MS', 'resend interval cap (default 600000)'],
  ['AGORA_KILL_GRACE_MS', 'SIGTERM-to-SIGKILL grace of a task kill (default 3000)'],
  ['AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS', 'a custom executor must subscribe within this (default 60000)'],
  ['AGORA_EXECUTOR_SHUTDOWN_GRACE_MS', 'an executor told to shut down is killed after this (default 5000)'],
  ['AGORA_EXECUTOR_REREGISTRATION_TIMEOUT_MS', 'a recovered executor must subscribe again within this (default 2000)'],
  ['AGORA_SANDBOX_GC_DELAY_MS', "delete an ended task's sandbox after this, sooner when the disk fills\n(default 604800000, a week)"],
  ['AGORA_DISK_WATCH_INTERVAL_MS', 'how often sandboxes are checked for deletion (default 60000)'],
  ['AGORA_REGISTRATION_TIMEOUT_MS', 'wait for an answer to a registration (default 5000)'],
  ['AGORA_REGISTRATION_BACKOFF_FACTOR_MS', 'registration retry backoff factor (default 1000)'],
  ['AGORA_PROCESS_LAUNCHER', 'how process tasks start: auto (agora-launcher when built, else\nNode spawn), off (Node spawn), or the path of a launcher (default auto)'],
  ['DOCKER_HOST', 'the Docker engine for tasks with a Docker image\n(default unix:///var/run/docker.sock)'],
  ['AGORA_DOCKER', 'auto: run Docker tasks if an engine answers at start;\non: refuse to start without one; off: never (default auto)'],
  ['AGORA_DOCKER_REMOVE_DELAY_MS', "remove an ended task's container after this (default 3600000)"],
]);

const COMMAND_HELP: Record<CommandName, string> = {
  master: `Usage: agora master [--port N] [--host ADDR]

Runs a master in the foreground until SIGINT or SIGTERM. Start several against one
DATABASE_URL and one NATS_URL for high availability: one leads, the others answer 307 to it.

Options:
  --port N      HTTP port, 0 for any free port (default 5050, or AGORA_MASTER_PORT)
  --host ADDR   address to bind (default 0.0.0.0, or AGORA_MASTER_HOST)

Environment:
${MASTER_SERVER_VARIABLES}
${MASTER_VARIABLES}`,

  agent: `Usage: agora agent [--port N] [--host ADDR] [--recover MODE]

Runs an agent in the foreground until SIGINT or SIGTERM. It registers with the master over NATS.
Tasks of frameworks with checkpoint: true outlive the agent's process; the next one on the same
work dir finds them again and re-registers with the same id.

Options:
  --port N        HTTP port, 0 for any free port (default 5051, or AGORA_AGENT_PORT)
  --host ADDR     address to bind (default 0.0.0.0, or AGORA_AGENT_HOST)
  --recover MODE  reconnect: take back the tasks an earlier agent process checkpointed;
                  cleanup: kill them and everything it left (default reconnect, or AGORA_AGENT_RECOVER)

Environment:
${AGENT_SERVER_VARIABLES}
${AGENT_VARIABLES}`,

  local: `Usage: agora local [--agents N] [--port N]

Runs a whole cluster in this process on 127.0.0.1, in the foreground: a master on --port and
N agents on the ports right after it, joined by an in-process bus instead of NATS. Data goes in
./.agora (agent i works in ./.agora/agent-i). Ctrl+C (SIGINT) or SIGTERM stops it cleanly.

Options:
  --agents N    number of agents, 0 to ${LOCAL_MAX_AGENTS} (default ${LOCAL_DEFAULT_AGENTS})
  --port N      master port; agents take the next N ports (default ${LOCAL_DEFAULT_PORT}; 0 picks free ports)

Environment:
  The master and every agent read the variables 'agora master --help' and 'agora agent --help'
  list, except those this command sets itself: ports, bind addresses, NATS_URL, and the
  agents' AGORA_AGENT_HOSTNAME and AGORA_AGENT_WORK_DIR. Most useful here:
${MASTER_VARIABLES}
${AGENT_VARIABLES}`,

  sim: `Usage: agora sim [--agents N] [--resources R] [--task-duration MS] [--master-namespace NS]

Simulates N agents in this process, in the foreground until SIGINT or SIGTERM. Each registers
with the master over NATS and speaks the agent protocol as a real agent does (pings, re-registration,
reliable status updates), but runs no processes: a task goes STARTING, RUNNING and, after
--task-duration, FINISHED (KILLED when killed). All agents share one NATS connection; a line of
counters is printed every five seconds.

Options:
  --agents N              number of agents, 1 to ${SIM_MAX_AGENTS} (default ${SIM_DEFAULT_AGENTS})
  --resources R           each agent's resources, e.g. 'cpus:4;mem:8192'
                          (default cpus:4;mem:8192;disk:16384;ports:[31000-32000])
  --task-duration MS      how long each task runs, 0 to finish at once (default 0)
  --master-namespace NS   the master's bus namespace (default AGORA_BUS_NAMESPACE)

Environment:
${variables([
  ['NATS_URL', 'the bus to the master (required), e.g. nats://127.0.0.1:4222'],
  ['AGORA_BUS_NAMESPACE', "prefix of every bus subject; the master's"],
])}`,

  run: `Usage: agora run [options] -- COMMAND [ARG...]
       agora run --image IMAGE [options] [-- COMMAND [ARG...]]

Runs COMMAND as one task on the cluster, like mesos-execute: subscribes as the framework
'agora-run', launches the task on the first offer with enough resources, streams its stdout and
stderr here, and exits with its exit status (137 when killed, 1 when it could not run).
Ctrl+C kills the task and waits for it to end; a second Ctrl+C stops waiting.

A single COMMAND word is run as a shell script as it is ('make && make test'); several words
are quoted so that each reaches the program unchanged (agora run -- echo "a b" prints a b).

With --image the task runs in a Docker container of that image on an agent with a Docker
engine, with the host's network; COMMAND runs with the image's /bin/sh, and without COMMAND the
image's own command runs. The image must be on the agent already: agents do not pull. The
task's sandbox is at $MESOS_SANDBOX (/mnt/mesos/sandbox) in the container, and its output
streams here as for any task.

Options:
${MASTER_FLAG}
  --cpus N      cpus for the task (default ${RUN_DEFAULT_CPUS})
  --mem MB      memory for the task in MB (default ${RUN_DEFAULT_MEM})
  --role ROLE   the role to take resources from (default '${RUN_DEFAULT_ROLE}')
  --name NAME   the task's name (default agora-run)
  --env K=V     an environment variable for the task; repeat for more
  --timeout S   seconds to wait for a big enough offer (default ${RUN_DEFAULT_TIMEOUT_SECONDS})
  --image IMAGE run in a Docker container of IMAGE, e.g. agora/busybox (docker/ builds it)
  --verbose     report each step (subscription, offers, task states) on stderr

${MASTER_ENV}`,

  agents: `Usage: agora agents [--master URL] [--json]

Lists the agents the master knows (GET /slaves): id, address, cpus, memory and disk as
used/total, whether active, when each registered, and its maintenance: draining or drained
('agora drain'), deactivated ('agora deactivate'), or nothing while in service.

Options:
${MASTER_FLAG}
  --json        print the master's JSON as it is

${MASTER_ENV}`,

  frameworks: `Usage: agora frameworks [--master URL] [--all] [--json]

Lists the registered frameworks (GET /frameworks): id, name, roles, whether active, task count
and the resources their tasks use.

Options:
${MASTER_FLAG}
  --all         include completed (torn down) frameworks
  --json        print the master's JSON as it is

${MASTER_ENV}`,

  tasks: `Usage: agora tasks [--master URL] [--all] [--framework ID] [--limit N] [--json]

Lists tasks (GET /tasks): id, name, framework, agent, state and resources. Without --all only
tasks that have not ended are shown.

Options:
${MASTER_FLAG}
  --all           include finished, failed, killed and lost tasks
  --framework ID  only the tasks of this framework
  --limit N       ask the master for at most N tasks (default ${TASKS_DEFAULT_LIMIT})
  --json          print the master's JSON as it is

${MASTER_ENV}`,

  drain: `Usage: agora drain AGENT_ID [--max-grace-period SECONDS] [--mark-gone] [--master URL]

Drains an agent (the v1 operator call DRAIN_AGENT), e.g. before maintenance: the master stops
offering its resources and tells it to kill every task and to take no new ones. 'agora agents'
shows it draining, then drained once the end of its last task is acknowledged. It stays out of
service, also when it restarts or a new master leads, until 'agora reactivate AGENT_ID'.
AGENT_ID is the agent's id as 'agora agents' lists it.

Options:
  --max-grace-period SECONDS
                give each task at most this long between SIGTERM and SIGKILL, 0 to ${DRAIN_MAX_GRACE_PERIOD_SECONDS}
                (default: each task's own grace period)
  --mark-gone   mark the agent gone once drained: it is removed for good and never admitted
                again (partition-aware frameworks see its tasks TASK_GONE_BY_OPERATOR)
${MASTER_FLAG}

${MASTER_ENV}`,

  deactivate: `Usage: agora deactivate AGENT_ID [--master URL]

Deactivates an agent (the v1 operator call DEACTIVATE_AGENT): the master offers none of its
resources any more and rescinds its outstanding offers, while the tasks on it keep running.
It stays deactivated, also when it restarts or a new master leads, until 'agora reactivate
AGENT_ID'. AGENT_ID is the agent's id as 'agora agents' lists it.

Options:
${MASTER_FLAG}

${MASTER_ENV}`,

  reactivate: `Usage: agora reactivate AGENT_ID [--master URL]

Reactivates an agent that 'agora deactivate' or 'agora drain' took out of service (the v1
operator call REACTIVATE_AGENT): the master offers its resources again. An agent still
draining cannot be reactivated until it is drained.

Options:
${MASTER_FLAG}

${MASTER_ENV}`,
};

export function usage(topic?: CommandName): string {
  return topic === undefined ? GENERAL : COMMAND_HELP[topic];
}
