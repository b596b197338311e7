import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HttpEdgeModule } from '@agora/nest-common';
import { Resources } from '@agora/resources';
import { AgentProfile } from '../machine/agent-profile';
import { FilesModule } from './files.module';

describe('/files over HTTP', () => {
  let app: INestApplication;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-files-http-'));
    await mkdir(join(workDir, 'run'));
    await writeFile(join(workDir, 'run', 'stdout'), 'line 1\nline 2\n');
    const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    // The agent's root module provides the profile globally; so does this stand-in.
    const profileModule = { module: class ProfileModule {}, global: true, providers: [{ provide: AgentProfile, useValue: profile }], exports: [AgentProfile] };
    const moduleRef = await Test.createTestingModule({ imports: [HttpEdgeModule, profileModule, FilesModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const server = () => app.getHttpServer();

  it('browses', async () => {
    const res = await request(server()).get('/files/browse').query({ path: join(workDir, 'run') }).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ path: join(workDir, 'run', 'stdout'), size: 14 })]);
  });

  it('reads with offset and length, and tells the size for offset -1', async () => {
    await request(server()).get('/files/read').query({ path: join(workDir, 'run', 'stdout'), offset: 7, length: 6 }).expect(200, { data: 'line 2', offset: 7 });
    await request(server()).get('/files/read').query({ path: join(workDir, 'run', 'stdout'), offset: -1 }).expect(200, { data: '', offset: 14 });
  });

  it('downloads the raw bytes', async () => {
    const res = await request(server()).get('/files/download').query({ path: join(workDir, 'run', 'stdout') }).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe('attachment; filename="stdout"');
    expect(Buffer.from(res.body as Buffer).toString()).toBe('line 1\nline 2\n');
  });

  it.each([
    ['/files/browse', {}],
    ['/files/read', { offset: 0 }],
    ['/files/download', { path: '' }],
  ])('answers %s without a path with a text 400', async (url, query) => {
    const res = await request(server()).get(url).query(query).expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe("Expecting 'path=value' in query.");
  });

  it('answers a bad offset with a text 400', async () => {
    const res = await request(server()).get('/files/read').query({ path: join(workDir, 'run', 'stdout'), offset: 'abc' }).expect(400);
    expect(res.text).toMatch(/Failed to parse offset/);
  });

  it.each([
    ['a path outside the work dir', () => '/etc/passwd'],
    ['the work dir’s parent', () => join(workDir, '..')],
    ['a missing file', () => join(workDir, 'missing')],
  ])('answers %s with a text 404', async (_case, path) => {
    const res = await request(server()).get('/files/read').query({ path: path(), offset: 0 }).expect(404);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('No such file or directory');
  });

  it('answers reading a directory with a text 400', async () => {
    const res = await request(server()).get('/files/read').query({ path: join(workDir, 'run'), offset: 0 }).expect(400);
    expect(res.text).toBe('Cannot read a directory.');
  });
});
