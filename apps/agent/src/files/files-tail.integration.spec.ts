import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HttpEdgeModule } from '@agora/nest-common';
import { Resources } from '@agora/resources';
import { Clock } from '../clock/clock';
import { Cgroups } from '../drivers/process/cgroups';
import { ProcessDriver } from '../drivers/process/process-driver';
import { AgentProfile } from '../machine/agent-profile';
import { waitFor } from '../testing/wait-for';
import { FilesModule } from './files.module';

/** A task's stdout served while the task writes it: what the web UI's pailer and `agora` tail do. */
describe('tailing a running task through /files/read', () => {
  let app: INestApplication;
  let workDir: string;
  let sandbox: string;
  let driver: ProcessDriver;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-tail-'));
    sandbox = join(workDir, 'slaves', 'a', 'frameworks', 'f', 'executors', 'e', 'runs', 'c');
    await mkdir(sandbox, { recursive: true });
    const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    const profileModule = { module: class ProfileModule {}, global: true, providers: [{ provide: AgentProfile, useValue: profile }], exports: [AgentProfile] };
    const moduleRef = await Test.createTestingModule({ imports: [HttpEdgeModule, profileModule, FilesModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    driver = new ProcessDriver(new Cgroups(join(workDir, 'no-cgroups')), new Clock());
    // One line every 100 ms, with a multi-byte character in each.
    await driver.start({
      containerId: 'c',
      command: { value: 'i=0; while [ $i -lt 600 ]; do echo "line $i é"; i=$((i+1)); sleep 0.1; done' },
      env: {},
      sandbox,
      stdoutPath: join(sandbox, 'stdout'),
      stderrPath: join(sandbox, 'stderr'),
      limits: {},
    });
  });

  afterAll(async () => {
    await driver.destroy('c');
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const stdout = (): string => join(sandbox, 'stdout');
  const read = async (offset: number, length?: number): Promise<{ data: string; offset: number }> =>
    (await request(app.getHttpServer()).get('/files/read').query({ path: stdout(), offset, ...(length !== undefined ? { length } : {}) }).expect(200)).body;

  it('gives growing sizes for offset -1, then new data from each offset, never a line twice or a gap', async () => {
    const first = await read(-1);
    expect(first.data).toBe('');
    // The size grows as the task writes.
    await waitFor(async () => (await read(-1)).offset > first.offset);

    let offset = 0;
    let text = '';
    const advances: number[] = [];
    await waitFor(async () => {
      // Small pages, as a viewer asking for a screenful would; characters are never split.
      const chunk = await read(offset, 7);
      expect(chunk.offset).toBe(offset);
      if (chunk.data !== '') {
        text += chunk.data;
        offset += Buffer.byteLength(chunk.data, 'utf8');
        advances.push(offset);
      }
      return text.split('\n').length > 12;
    });
    expect(advances.length).toBeGreaterThan(1);
    expect(advances).toEqual([...advances].sort((a, b) => a - b));
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toEqual(lines.map((_, i) => `line ${i} é`));

    // Reading beyond what exists gives nothing, with the offset as asked.
    expect(await read(offset + 1_000_000)).toEqual({ data: '', offset: offset + 1_000_000 });
  });

  it('lists the growing stdout in /files/browse and downloads what exists so far', async () => {
    const listed = async (): Promise<number> => {
      const res = await request(app.getHttpServer()).get('/files/browse').query({ path: sandbox }).expect(200);
      return (res.body as { path: string; size: number }[]).find((e) => e.path === stdout())?.size ?? -1;
    };
    const before = await listed();
    await waitFor(async () => (await listed()) > before);
    const res = await request(app.getHttpServer()).get('/files/download.json').query({ path: stdout() }).buffer(true).expect(200);
    const body = Buffer.from(res.body as Buffer).toString('utf8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(body));
    expect(body).toMatch(/^line 0 é\nline 1 é\n/);
  });
});
