import { INestApplication } from '@nestjs/common';
import { ConfigError, ListenError, urlOf } from '@agora/nest-common';
import { createTestDatabase, TestDatabase } from '../../../test/support/services';
import { bootstrapMaster } from './bootstrap';

describe('bootstrapMaster', () => {
  let app: INestApplication | undefined;
  let database: TestDatabase;
  /** The environment of a master whose registry is a fresh database on the test Postgres. */
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('bootstrap');
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await database?.drop();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves GET /health with an empty 200', async () => {
    app = await bootstrapMaster({ port: 0, host: '127.0.0.1', env, logger: false });
    const response = await fetch(`${urlOf(app)}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers unknown routes with a text 404 and no stack trace', async () => {
    app = await bootstrapMaster({ port: 0, host: '127.0.0.1', env, logger: false });
    const response = await fetch(`${urlOf(app)}/no-such-endpoint`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toContain('/no-such-endpoint');
    expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('takes its port from AGORA_MASTER_PORT', async () => {
    app = await bootstrapMaster({ host: '127.0.0.1', env: { ...env, AGORA_MASTER_PORT: '0' }, logger: false });
    expect(urlOf(app)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails fast listing every bad variable', async () => {
    const boot = bootstrapMaster({
      env: { AGORA_MASTER_PORT: 'fifty', AGORA_MASTER_HOST: 'not a host!', DATABASE_URL: 'mysql://db/agora' },
      logger: false,
    });
    await expect(boot).rejects.toThrow(ConfigError);
    await expect(boot).rejects.toThrow(/AGORA_MASTER_PORT="fifty".*\n.*AGORA_MASTER_HOST="not a host!".*\n.*DATABASE_URL="mysql:\/\/db\/agora": must be a URL like postgres:/);
  });

  it('reports a taken port as a ListenError', async () => {
    app = await bootstrapMaster({ port: 0, host: '127.0.0.1', env, logger: false });
    const port = Number(new URL(urlOf(app)).port);
    await expect(bootstrapMaster({ port, host: '127.0.0.1', env, logger: false })).rejects.toThrow(
      ListenError,
    );
  });
});
