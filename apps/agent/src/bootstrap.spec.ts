import { INestApplication } from '@nestjs/common';
import { ConfigError, ListenError, urlOf } from '@agora/nest-common';
import { bootstrapAgent } from './bootstrap';

describe('bootstrapAgent', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves GET /health with an empty 200', async () => {
    app = await bootstrapAgent({ port: 0, host: '127.0.0.1', env: {}, logger: false });
    const response = await fetch(`${urlOf(app)}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers unknown routes with a text 404 and no stack trace', async () => {
    app = await bootstrapAgent({ port: 0, host: '127.0.0.1', env: {}, logger: false });
    const response = await fetch(`${urlOf(app)}/no-such-endpoint`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toContain('/no-such-endpoint');
    expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('takes its port from AGORA_AGENT_PORT', async () => {
    app = await bootstrapAgent({ host: '127.0.0.1', env: { AGORA_AGENT_PORT: '0' }, logger: false });
    expect(urlOf(app)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails fast listing every bad variable', async () => {
    const boot = bootstrapAgent({
      env: { AGORA_AGENT_PORT: 'fifty', AGORA_AGENT_HOST: 'not a host!' },
      logger: false,
    });
    await expect(boot).rejects.toThrow(ConfigError);
    await expect(boot).rejects.toThrow(/AGORA_AGENT_PORT="fifty".*\n.*AGORA_AGENT_HOST="not a host!"/);
  });

  it('reports a taken port as a ListenError', async () => {
    app = await bootstrapAgent({ port: 0, host: '127.0.0.1', env: {}, logger: false });
    const port = Number(new URL(urlOf(app)).port);
    await expect(bootstrapAgent({ port, host: '127.0.0.1', env: {}, logger: false })).rejects.toThrow(
      ListenError,
    );
  });
});
