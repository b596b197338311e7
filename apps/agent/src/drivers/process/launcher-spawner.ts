/**
 * Starts processes through agora-launcher, and keeps doing so when a launcher dies: the next
 * start brings up a new one. After MAX_RESTARTS deaths (a launcher that crashes at once would
 * otherwise be restarted for every task) it falls back to Node's spawn for good, and says so.
 */
import { LauncherClient } from './launcher-client';
import { NodeSpawner } from './node-spawner';
import type { ProcessSpawner, SpawnedProcess, SpawnRequest } from './spawner';

const MAX_RESTARTS = 5;

type Log = (message: string) => void;

export class LauncherSpawner implements ProcessSpawner {
  readonly name = 'launcher';
  /** Undefined once fallen back to Node. */
  private client: Promise<LauncherClient | undefined>;
  private readonly fallback = new NodeSpawner();
  private restarts = 0;
  private closed = false;

  /** `client` is a launcher that answered already (LauncherClient.start). */
  constructor(
    client: LauncherClient,
    private readonly warn: Log = () => undefined,
  ) {
    this.client = Promise.resolve(client);
  }

  async spawn(request: SpawnRequest): Promise<SpawnedProcess> {
    const client = await this.live();
    return client === undefined ? this.fallback.spawn(request) : client.spawn(request);
  }

  close(): void {
    this.closed = true;
    void this.client.then((client) => client?.close());
  }

  /** The running launcher, a new one if it died, or undefined once fallen back to Node. */
  private async live(): Promise<LauncherClient | undefined> {
    const current = this.client;
    const client = await current;
    if (client === undefined || client.dead === undefined || this.closed) return client;
    // Concurrent starts that all found it dead wait for one replacement.
    if (this.client === current) this.client = this.restart(client);
    return this.client;
  }

  private async restart(dead: LauncherClient): Promise<LauncherClient | undefined> {
    if (this.restarts >= MAX_RESTARTS) return this.fallBack(`${dead.dead}; restarted ${MAX_RESTARTS} times already`);
    this.restarts++;
    this.warn(`the process launcher ended (${dead.dead}); starting another (${this.restarts} of at most ${MAX_RESTARTS})`);
    try {
      return await LauncherClient.start(dead.binary);
    } catch (e) {
      return this.fallBack((e as Error).message);
    }
  }

  private fallBack(why: string): undefined {
    this.warn(`tasks start with Node's child_process.spawn from now on: the process launcher is unusable (${why})`);
    return undefined;
  }
}
