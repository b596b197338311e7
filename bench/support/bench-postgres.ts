/**
 * A Postgres server of a benchmark's own, for masters that must share one registry (bench:failover
 * with a standby master: leadership is an advisory lock in that database, so the masters cannot
 * each run their embedded Postgres). Debian's binaries, run as scripts/services.sh and
 * test/support/faults-postgres.ts run them: initdb + pg_ctl in a fresh /tmp directory, on a free
 * loopback port, trust authentication; as root, as the unprivileged `postgres` user that owns the
 * data directory. Stopped (immediate mode) and deleted by `destroy`.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);
const USER = 'agora';
const DATA_PREFIX = '/tmp/agora-bench-postgres.';

export class BenchPostgres {
  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  /** initdb and start; resolves once the server accepts connections. */
  static async start(): Promise<BenchPostgres> {
    const bin = binDir();
    const dataDir = mkdtempSync(DATA_PREFIX);
    if (isRoot()) chownSync(dataDir, ...(await postgresIds()));
    const pg = new BenchPostgres(bin, dataDir, await freePort());
    try {
      await pg.asOwner('initdb', ['--pgdata', dataDir, '--username', USER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8']);
      const options = `-c listen_addresses=127.0.0.1 -p ${pg.port} -k ${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      await pg.asOwner('pg_ctl', ['--pgdata', dataDir, `--log=${join(dataDir, 'server.log')}`, '--wait', '--timeout=30', '-o', options, 'start']);
    } catch (e) {
      await pg.destroy();
      throw e;
    }
    return pg;
  }

  /** postgres://agora@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://${USER}@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates an empty database `name`; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server without a checkpoint and deletes its data. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.asOwner('pg_ctl', ['--pgdata', this.dataDir, '--mode=immediate', '--wait', 'stop']).catch(() => undefined);
    }
    if (this.dataDir.startsWith(DATA_PREFIX)) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async asOwner(tool: string, args: string[]): Promise<void> {
    const command = join(this.bin, tool);
    try {
      if (isRoot()) await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: '/tmp' });
      else await run(command, args, { cwd: '/tmp' });
    } catch (e) {
      const err = e as Error & { stderr?: string; stdout?: string };
      throw new Error(`${tool} failed: ${err.stderr || err.stdout || err.message}`);
    }
  }
}

/** The newest /usr/lib/postgresql/<version>/bin (scripts/setup.sh installs it). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error('Postgres binaries not found under /usr/lib/postgresql (run scripts/setup.sh, or set DATABASE_URL)');
  return join(root, newest, 'bin');
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(uid.trim()), Number(gid.trim())];
}
