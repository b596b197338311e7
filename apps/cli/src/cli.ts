import { ConfigError, ListenError, stopOnSignals } from '@agora/nest-common';
import { bootstrapAgent } from '../../agent/src/bootstrap';
import { bootstrapMaster } from '../../master/src/bootstrap';
import { Command, parseArgs, UsageError } from './args';
import { startLocalCluster } from './local-cluster';
import { usage } from './usage';
import { agoraVersion } from './version';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Blocks until the process is asked to stop, then runs `stop`. Tests replace it. */
export type WaitForStop = (stop: () => Promise<void>, log: (message: string) => void) => Promise<unknown>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Runs one `agora` invocation and resolves with its exit status: 0 on success (servers: after a
 * clean stop), 1 when a process cannot start (bad configuration, port taken), 2 for a bad command line.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  waitForStop: WaitForStop = stopOnSignals,
): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const prefix = error.command ? `agora ${error.command}` : 'agora';
    io.err(`${prefix}: ${error.message}`);
    io.err(`Run '${prefix} --help' for usage.`);
    return EXIT_USAGE;
  }

  try {
    return await execute(command, io, waitForStop);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ListenError) {
      io.err(`agora ${command.name}: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

async function execute(command: Command, io: CliIo, waitForStop: WaitForStop): Promise<number> {
  const log = (message: string): void => io.err(`agora ${command.name}: ${message}`);
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
      const app = await bootstrapAgent({ port: command.port, host: command.host });
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
  }
}
