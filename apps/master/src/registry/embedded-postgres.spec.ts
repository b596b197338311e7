import { INestApplication } from '@nestjs/common';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapMaster } from '../bootstrap';
import { startEmbeddedPostgres } from './embedded-postgres';
import { RegistryService } from './registry.service';

// The default when DATABASE_URL is unset: a whole master starts the embedded Postgres, migrates
// it through the same module as an external database, serves, and stops it again on close. This
// needs no services from scripts/test.sh, only the npm package's binaries.
describe('the embedded Postgres', () => {
  let dir: string;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agora-embedded-'));
    await chmod(dir, 0o755); // as root, Postgres runs as `postgres`, which must reach the data dir
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with the master, migrates, keeps data across restarts and stops with it', async () => {
    const dataDir = join(dir, 'postgres');
    const boot = () =>
      bootstrapMaster({ port: 0, host: '127.0.0.1', env: { AGORA_EMBEDDED_POSTGRES_DIR: dataDir }, logger: false });

    app = await boot();
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(processExists(pid)).toBe(true);
    await app.get(RegistryService).admitAgent({
      id: 'a1', hostname: 'h1', port: 5051, resources: 'cpus:1', attributes: {},
    });
    await app.close();
    app = undefined;
    expect(processExists(pid)).toBe(false);

    app = await boot(); // initialised data directory: no initdb, same password, data still there
    expect((await app.get(RegistryService).listAgents()).map((a) => a.id)).toEqual(['a1']);
    await app.close();
    app = undefined;
  }, 120_000);

  it('starts over a server an earlier master left running (killed with -9), stopping it first', async () => {
    const dataDir = join(dir, 'leftover');
    await startEmbeddedPostgres({ dataDir, port: 0 });
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    // `first` is never stopped: as if its master had died without running any handler.
    const second = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      // The new server answered (start checks its database); the old one is gone.
      expect(processExists(pid)).toBe(false);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
