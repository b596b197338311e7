/**
 * Which spawner the agent's process driver uses (AGORA_PROCESS_LAUNCHER): agora-launcher when it
 * is built and answers, else Node's spawn. Said once at boot, since the difference is about 10×
 * in how many tasks a second the agent can start.
 */
import { LauncherClient } from './launcher-client';
import { findLauncherBinary, LAUNCHER_RELATIVE_PATH } from './launcher-binary';
import { LauncherSpawner } from './launcher-spawner';
import { NodeSpawner } from './node-spawner';
import type { ProcessSpawner } from './spawner';

interface Log {
  log(message: string): void;
  warn(message: string): void;
}

/** `setting` is `auto`, `off` or the path of a launcher binary. */
export async function processSpawner(setting: string, log: Log): Promise<ProcessSpawner> {
  if (setting === 'off') {
    log.log("tasks start with Node's child_process.spawn (AGORA_PROCESS_LAUNCHER=off)");
    return new NodeSpawner();
  }
  const binary = setting === 'auto' ? findLauncherBinary() : setting;
  if (binary === undefined) {
    log.warn(`tasks start with Node's child_process.spawn, which is slow: ${LAUNCHER_RELATIVE_PATH} is not built (npm run build)`);
    return new NodeSpawner();
  }
  try {
    const client = await LauncherClient.start(binary);
    log.log(`tasks start through ${binary} (pid ${client.pid})`);
    return new LauncherSpawner(client, (m) => log.warn(m));
  } catch (e) {
    log.warn(`tasks start with Node's child_process.spawn, which is slow: ${(e as Error).message}`);
    return new NodeSpawner();
  }
}
