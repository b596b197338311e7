/**
 * The Docker engine's HTTP API over its unix socket with node:http, nothing else: the "raw"
 * side of the docker benchmark (dockerode stays inside the agent's docker driver).
 */
import { Agent, request } from 'node:http';

export class RawEngine {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  /** `unix:///path/docker.sock`, as DOCKER_HOST says it. */
  constructor(private readonly socketPath: string) {}

  static fromDockerHost(dockerHost: string): RawEngine {
    if (!dockerHost.startsWith('unix://')) throw new Error(`raw engine: only unix:// DOCKER_HOST is supported, not ${dockerHost}`);
    return new RawEngine(dockerHost.slice('unix://'.length));
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, agent: this.agent, method, path, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${data}`));
          else resolve((data === '' ? undefined : JSON.parse(data)) as T);
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** create, start, wait and remove one container running `cmd` in `image`; answers its exit code. */
  async runOnce(image: string, cmd: readonly string[], labels: Record<string, string>): Promise<number> {
    const { Id } = await this.call<{ Id: string }>('POST', '/containers/create', { Image: image, Cmd: cmd, Labels: labels, HostConfig: { NetworkMode: 'host' } });
    try {
      await this.call('POST', `/containers/${Id}/start`);
      const { StatusCode } = await this.call<{ StatusCode: number }>('POST', `/containers/${Id}/wait`);
      return StatusCode;
    } finally {
      await this.call('DELETE', `/containers/${Id}?force=true&v=true`);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
