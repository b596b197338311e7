/**
 * Where the Docker engine listens, read from a DOCKER_HOST value in the docker CLI's syntax:
 * `unix:///run/docker.sock`, or `tcp://127.0.0.1:2375` (plain HTTP; an engine that wants TLS is
 * not supported). Pure.
 */

export type EngineAddress =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Where the docker CLI and Mesos's `--docker_socket` look when nothing says otherwise. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The address in `value`; throws an Error saying what is wrong with it. */
export function parseDockerHost(value: string): EngineAddress {
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error(`'${value}' needs an absolute socket path, e.g. unix:///var/run/docker.sock`);
    return { kind: 'unix', socketPath };
  }
  const match = /^(?:tcp|http):\/\/(\[[0-9a-fA-F:.]+\]|[^/:\s]+):(\d+)\/?$/.exec(value);
  if (match === null) throw new Error(`'${value}' is neither unix:///path/to/docker.sock nor tcp://host:port`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new Error(`'${value}' has no valid port`);
  return { kind: 'tcp', host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** The address as DOCKER_HOST would say it, for log lines and messages. */
export function describeAddress(address: EngineAddress): string {
  if (address.kind === 'unix') return `unix://${address.socketPath}`;
  return `tcp://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
