import { userInfo } from 'node:os';
import { agoraVersion, ConfigError, ListenError, stopOnSignals } from '@agora/nest-common';
import { Resources } from '@agora/resources';
import { bootstrapAgent } from '../../agent/src/bootstrap';
import { bootstrapMaster } from '../../master/src/bootstrap';
import { ClientCommandName, Command, parseArgs, RunCommand, SimCommand, UsageError } from './args';
import { CliEnvironment, MASTER_VARIABLE, readCliEnvironment } from './config/cli-environment';
import { HttpStatusError, UnreachableError } from './http/http-client';
import { onProcessInterrupt } from './lifecycle/interrupts';
import { startLocalCluster } from './local-cluster';
import { DEFAULT_MASTER_URL, normalizeMasterUrl } from './master-url';
import { changeAgent } from './operator/agent-commands';
import { queryMaster } from './operator/operator-commands';
import { shellCommand } from './run/shell-quote';
import { newTaskId, runTask } from './run/task-run';
import type { SandboxFiles } from './sandbox/agent-files';
import { usage } from './usage';
import { Simulator } from '../../sim/src/simulator';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  /** A line on stdout. */
  out(text: string): void;
  /** A line on stderr. */
  err(text: string): void;
  /** Bytes on stdout as they come (a task's output). */
  writeOut(data: Uint8Array): void;
  /** Bytes on stderr as they come. */
  writeErr(data: Uint8Array): void;
}

/** Blocks until the process is asked to stop, then runs `stop`. Tests replace it. */
export type WaitForStop = (stop: () => Promise<void>, log: (message: string) => void) => Promise<unknown>;

/** What the CLI takes from its surroundings; every field has the real process's as default. */
export interface CliDeps {
  readonly waitForStop?: WaitForStop;
  /** Ctrl+C for `agora run`: calls `handler` on each SIGINT/SIGTERM, returns the unsubscribe. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  readonly env?: CliEnvironment;
  /** The files API of an agent (`agora run` reads the task's output through it). */
  readonly filesFor?: (agentBase: string) => SandboxFiles;
  /** How often `agora run` polls the task's output (default 200 ms). */
  readonly pollIntervalMs?: number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Runs one `agora` invocation and resolves with its exit status: 0 on success (servers: after a
 * clean stop), 1 when a process cannot start or the master cannot answer, 2 for a bad command
 * line. `agora run` exits with its task's status instead.
 */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  let command: Command;
  let master: string;
  try {
    command = parseArgs(argv);
    master = isClientCommand(command) ? resolveMaster(command, deps.env ?? readCliEnvironment()) : '';
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const prefix = error.command ? `agora ${error.command}` : 'agora';
    io.err(`${prefix}: ${error.message}`);
    io.err(`Run '${prefix} --help' for usage.`);
    return EXIT_USAGE;
  }

  try {
    return await execute(command, master, io, deps);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ListenError) {
      io.err(`agora ${command.name}: ${error.message}`);
      return EXIT_FAILURE;
    }
    if (error instanceof UnreachableError) {
      io.err(`agora ${command.name}: cannot reach the master at ${master} (${error.reason}); is it running?`);
      io.err(`Point --master or ${MASTER_VARIABLE} at another master if it runs elsewhere.`);
      return EXIT_FAILURE;
    }
    if (error instanceof HttpStatusError) {
      io.err(`agora ${command.name}: the master at ${master}: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

async function execute(command: Command, master: string, io: CliIo, deps: CliDeps): Promise<number> {
  const log = (message: string): void => io.err(`agora ${command.name}: ${message}`);
  const waitForStop = deps.waitForStop ?? stopOnSignals;
  switch (command.name) {
    case 'help':
      io.out(usage(command.topic));
      return EXIT_OK;
    case 'version':
      io.out(`agora ${agoraVersion()}`);
      return EXIT_OK;
    case 'master': {
      const app = await bootstrapMaster({ port: command.port, host: command.host });
      await waitForStop(() => app.close(), log);
      return EXIT_OK;
    }
    case 'agent': {
      const app = await bootstrapAgent({ port: command.port, host: command.host, recover: command.recover });
      await waitForStop(() => app.close(), log);
      return EXIT_OK;
    }
    case 'local': {
      const cluster = await startLocalCluster({ agents: command.agents, port: command.port });
      log(`master  ${cluster.master}`);
      cluster.agents.forEach((url, i) => log(`agent-${i + 1} ${url}`));
      log('running; press Ctrl+C to stop');
      await waitForStop(() => cluster.stop(), log);
      log('stopped');
      return EXIT_OK;
    }
    case 'sim':
      return simulate(command, deps.env ?? readCliEnvironment(), waitForStop, log);
    case 'run':
      return run(command, master, io, deps, log);
    case 'agents':
    case 'frameworks':
    case 'tasks':
      io.out(await queryMaster(master, command));
      return EXIT_OK;
    case 'drain':
    case 'deactivate':
    case 'reactivate':
      io.out(await changeAgent(master, command));
      return EXIT_OK;
  }
}

/** `agora sim`: the simulator until a signal, with a line of counters every five seconds. */
async function simulate(command: SimCommand, env: CliEnvironment, waitForStop: WaitForStop, log: (line: string) => void): Promise<number> {
  if (env.natsUrl === undefined) throw new ConfigError(['NATS_URL must be set: the simulated agents reach the master over NATS']);
  if (command.resources !== undefined) {
    try {
      Resources.parse(command.resources);
    } catch (e) {
      throw new ConfigError([`--resources '${command.resources}': ${(e as Error).message}`]);
    }
  }
  const sim = await Simulator.start({
    agents: command.agents,
    resources: command.resources,
    taskDurationMs: command.taskDurationMs,
    natsUrl: env.natsUrl,
    namespace: command.namespace ?? env.busNamespace,
  });
  log(`simulating ${command.agents} agents; press Ctrl+C to stop`);
  const report = setInterval(() => {
    const s = sim.stats();
    log(`registered ${s.registered}/${s.agents}, tasks launched ${s.launched}, finished ${s.finished}, killed ${s.killed}, live ${s.running}`);
  }, 5000);
  await waitForStop(async () => {
    clearInterval(report);
    await sim.stop();
  }, log);
  return EXIT_OK;
}

function run(command: RunCommand, master: string, io: CliIo, deps: CliDeps, log: (line: string) => void): Promise<number> {
  return runTask(
    {
      master,
      user: currentUser(),
      role: command.role,
      task: {
        taskId: newTaskId(),
        name: command.taskName ?? 'agora-run',
        command: command.argv.length > 0 ? shellCommand(command.argv) : undefined,
        image: command.image,
        env: command.env,
        cpus: command.cpus,
        mem: command.mem,
      },
      timeoutSeconds: command.timeoutSeconds,
      verbose: command.verbose,
    },
    {
      io: { writeOut: (data) => io.writeOut(data), writeErr: (data) => io.writeErr(data), log },
      onInterrupt: deps.onInterrupt ?? onProcessInterrupt,
      filesFor: deps.filesFor,
      pollIntervalMs: deps.pollIntervalMs,
    },
  );
}

type ClientCommand = Extract<Command, { name: ClientCommandName }>;

/** A record, not a list, so that a client command left out here fails to compile. */
const CLIENT_COMMANDS: Readonly<Record<ClientCommandName, true>> = {
  run: true,
  agents: true,
  frameworks: true,
  tasks: true,
  drain: true,
  deactivate: true,
  reactivate: true,
};

function isClientCommand(command: Command): command is ClientCommand {
  return Object.hasOwn(CLIENT_COMMANDS, command.name);
}

/** --master, else AGORA_MASTER (validated like the flag), else the default. */
function resolveMaster(command: ClientCommand, env: CliEnvironment): string {
  if (command.master !== undefined) return command.master;
  if (env.master === undefined) return DEFAULT_MASTER_URL;
  const url = normalizeMasterUrl(env.master);
  if (url instanceof Error) throw new UsageError(`environment variable ${MASTER_VARIABLE} ${url.message}`, command.name);
  return url;
}

/** FrameworkInfo.user: who runs the task. A uid without a passwd entry has no name to give. */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.getuid?.() === 0 ? 'root' : 'nobody';
  }
}
