import { Client } from 'pg';

/**
 * Session-level advisory lock key of the leadership ("agora-le" in ASCII); the migration lock
 * (registry/registry.data-source.ts) uses another. Advisory locks are per database, so two
 * clusters on one Postgres server never share a leader as long as they use different databases.
 */
export const LEADER_LOCK_KEY = '7018701081327543653';

/**
 * The leadership lock (DESIGN §5) on a dedicated connection, never the TypeORM pool: a session
 * advisory lock lives exactly as long as the session, so the lock is the connection. Holding it
 * is leading; losing the connection (Postgres restarted, the backend terminated, the network
 * cut, or the lease below expired) is losing it.
 *
 * The lease: once the lock is held, the session gets `idle_session_timeout = leaseMs`, so a leader
 * that stops talking (SIGSTOP, a long GC pause, a wedged event loop) is disconnected by Postgres
 * after the lease and its lock goes to a standby; the owner touches the session well within it.
 * TCP keepalives on both ends catch a peer that vanished without closing the socket.
 */
export class LeaderLock {
  private ended = false;
  private lost?: (why: string) => void;

  private constructor(
    private readonly client: Client,
    private readonly leaseMs: number,
  ) {
    client.on('error', (e: Error) => this.fail(`lock connection failed: ${e.message}`));
    client.on('end', () => this.fail('lock connection closed'));
  }

  /** Connects; rejects when Postgres cannot be reached. */
  static async connect(url: string, leaseMs: number): Promise<LeaderLock> {
    const client = new Client({
      connectionString: url,
      application_name: 'agora-master-leadership',
      keepAlive: true,
      keepAliveInitialDelayMillis: Math.max(1000, Math.floor(leaseMs / 2)),
      connectionTimeoutMillis: leaseMs,
    });
    // Errors before connect() settles reject it; the handlers below take over afterwards.
    const lock = new LeaderLock(client, leaseMs);
    await client.connect();
    const idleSeconds = Math.max(1, Math.floor(leaseMs / 2000));
    // Server-side keepalives: Postgres notices a master host that vanished. Ignored on Unix sockets.
    await client.query(`SET tcp_keepalives_idle = ${idleSeconds}; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3`);
    return lock;
  }

  /**
   * Called once, the first time the connection is lost (error or end) after connect, unless
   * close() was called first. Not called for a connection that was never established.
   */
  onLost(handler: (why: string) => void): void {
    this.lost = handler;
  }

  /** Takes the lock if nobody holds it; true when this session holds it now. Starts the lease. */
  async tryAcquire(): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [LEADER_LOCK_KEY]);
    const locked = result.rows[0]?.locked === true;
    if (locked) await this.client.query(`SET idle_session_timeout = ${Math.floor(this.leaseMs)}`);
    return locked;
  }

  /** One round trip, so the session is not idle; rejects when it fails or takes longer than the lease. */
  touch(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`touch took longer than the lease (${this.leaseMs} ms)`)), this.leaseMs);
      this.client.query('SELECT 1').then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  /** The backend's pid (tests terminate it to simulate a lost connection). */
  async backendPid(): Promise<number> {
    const result = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Number(result.rows[0]?.pid);
  }

  /** Ends the session, releasing the lock; the loss handler is not called. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.end().catch(() => undefined);
  }

  private fail(why: string): void {
    if (this.ended) return;
    this.ended = true;
    this.client.end().catch(() => undefined);
    this.lost?.(why);
  }
}
