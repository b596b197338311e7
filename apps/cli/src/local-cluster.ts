import { join } from 'node:path';
import { ConsoleLogger, INestApplication, LoggerService } from '@nestjs/common';
import { InProcessTransport } from '@agora/bus';
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
  /** Where the cluster keeps its data; agent i works in `<dataDir>/agent-<i>`. Default `./.agora`. */
  readonly dataDir?: string;
}

export const LOCAL_DATA_DIR = '.agora';

export interface LocalCluster {
  /** Base URL of the master, e.g. http://127.0.0.1:5050. */
  readonly master: string;
  /** Base URLs of the agents, in start order. */
  readonly agents: readonly string[];
  /** Stops the agents, then the master. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * `agora local`: one master and N agents in this process (DESIGN §10). They share one
 * in-process bus in place of NATS, so nothing outside the process is needed; the master starts
 * (and listens) first, so agents find it when they register. If any process fails to start,
 * the ones already running are stopped before the error is thrown.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir ?? LOCAL_DATA_DIR;
  // Nest keeps one global logger per process, the last app's: with per-app prefixes every line
  // would say `[agent-N]`. One logger for all keeps the prefix honest; contexts tell the parts apart.
  const shared = new ConsoleLogger({ prefix: 'agora', colors: process.stdout.isTTY === true, logLevels: ['fatal', 'error', 'warn', 'log'] });
  const loggerFor = options.loggerFor ?? (() => shared);
  const portFor = (offset: number): number => (options.port === 0 ? 0 : options.port + offset);

  const transport = new InProcessTransport();
  let master: INestApplication;
  try {
    master = await bootstrapMaster({ port: options.port, host, name: 'master', logger: loggerFor('master'), transport });
  } catch (error) {
    await transport.close();
    throw error;
  }
  const agents: INestApplication[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Agents first, so none sees its master vanish; the bus last, so both can still say goodbye.
    stopped ??= (async () => {
      await Promise.all(agents.map((agent) => agent.close()));
      await master.close();
      await transport.close();
    })();
    return stopped;
  };

  try {
    for (let i = 1; i <= options.agents; i++) {
      const name = `agent-${i}`;
      agents.push(
        await bootstrapAgent({
          port: portFor(i),
          host,
          // Offers carry this name; on one machine the loopback address is the name that works.
          hostname: '127.0.0.1',
          workDir: join(dataDir, name),
          name,
          logger: loggerFor(name),
          transport,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { master: urlOf(master), agents: agents.map(urlOf), stop };
}
