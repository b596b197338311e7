/**
 * A Postgres server of a suite's or benchmark's own, run from Debian's binaries exactly as
 * scripts/services.sh does (initdb + pg_ctl; as root, as the unprivileged `postgres` user that
 * owns a data directory under /tmp), on a free loopback port with trust authentication. The fault
 * suite stops and starts it again on the same port ("restart Postgres"); bench:failover shares
 * one between a leader and a standby master (leadership is an advisory lock in its database, so
 * the masters cannot each run an embedded Postgres).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);
const USER = 'agora';
const DATA_PREFIX = '/tmp/agora-private-postgres.';

/** The newest /usr/lib/postgresql/<version>/bin (scripts/setup.sh installs it). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error('Postgres binaries not found under /usr/lib/postgresql (run scripts/setup.sh)');
  return join(root, newest, 'bin');
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** initdb in a fresh /tmp directory and start the server on a free loopback port. */
  static async start(): Promise<PrivatePostgres> {
    const bin = binDir();
    const dataDir = mkdtempSync(DATA_PREFIX);
    if (isRoot()) chownSync(dataDir, ...(await postgresIds()));
    const pg = new PrivatePostgres(bin, dataDir, await freePort());
    try {
      await pg.asOwner('initdb', ['--pgdata', dataDir, '--username', USER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8']);
      await pg.resume();
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

  /** A new empty database named after `prefix` (plus a random suffix); returns its URL. */
  async createDatabase(prefix: string): Promise<string> {
    const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server: `fast` closes sessions cleanly, `immediate` is a crash without checkpoint. */
  async pause(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    await this.asOwner('pg_ctl', ['--pgdata', this.dataDir, `--mode=${mode}`, '--wait', 'stop']);
  }

  /** Starts the server (again) on the same port and data. */
  async resume(): Promise<void> {
    const options = `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await this.asOwner('pg_ctl', ['--pgdata', this.dataDir, `--log=${join(this.dataDir, 'server.log')}`, '--wait', '--timeout=30', '-o', options, 'start']);
  }

  /** Stops the server and removes its data. */
  async destroy(): Promise<void> {
    await this.pause('immediate').catch(() => undefined);
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

async function postgresIds(): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(uid.trim()), Number(gid.trim())];
}
