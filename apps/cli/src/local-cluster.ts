import { INestApplication, LoggerService } from '@nestjs/common';
import { urlOf } from '@agora/nest-common';
import { bootstrapAgent } from '../../agent/src/bootstrap';
import { bootstrapMaster } from '../../master/src/bootstrap';

export interface LocalClusterOptions {
  /** How many agents to start next to the master. */
  readonly agents: number;
  /** The master's port; agent i listens on port + i. 0 gives every process a free port. */
  readonly port: number;
  /** Loopback by default: a local cluster is for one machine. */
  readonly host?: string;
  /** The logger for a process name (`master`, `agent-1`, ...); default: console, `false`: silent. */
  readonly loggerFor?: (name: string) => LoggerService | false | undefined;
}

export interface LocalCluster {
  /** Base URL of the master, e.g. http://127.0.0.1:5050. */
  readonly master: string;
  /** Base URLs of the agents, in start order. */
  readonly agents: readonly string[];
  /** Stops the agents, then the master. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * `agora local`: one master and N agents in this process. Later issues add the embedded
 * Postgres, the in-process transport and the agents' registration with the master (DESIGN §10).
 * If any process fails to start, the ones already running are stopped before the error is thrown.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const host = options.host ?? '127.0.0.1';
  const loggerFor = options.loggerFor ?? (() => undefined);
  const portFor = (offset: number): number => (options.port === 0 ? 0 : options.port + offset);

  const master = await bootstrapMaster({ port: options.port, host, name: 'master', logger: loggerFor('master') });
  const agents: INestApplication[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(agents.map((agent) => agent.close()));
      await master.close();
    })();
    return stopped;
  };

  try {
    for (let i = 1; i <= options.agents; i++) {
      const name = `agent-${i}`;
      agents.push(await bootstrapAgent({ port: portFor(i), host, name, logger: loggerFor(name) }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { master: urlOf(master), agents: agents.map(urlOf), stop };
}
