import { describeAddress, parseDockerHost } from './engine-address';

describe('parseDockerHost', () => {
  it.each([
    ['a unix socket', 'unix:///var/run/docker.sock', { kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['tcp', 'tcp://127.0.0.1:2375', { kind: 'tcp', host: '127.0.0.1', port: 2375 }],
    ['http with a trailing slash', 'http://localhost:2375/', { kind: 'tcp', host: 'localhost', port: 2375 }],
    ['an IPv6 literal', 'tcp://[::1]:2375', { kind: 'tcp', host: '::1', port: 2375 }],
  ])('reads %s', (_case, value, expected) => {
    expect(parseDockerHost(value)).toEqual(expected);
  });

  it.each([
    ['a relative socket path', 'unix://docker.sock', /absolute socket path/],
    ['ssh', 'ssh://me@host', /neither/],
    ['tcp without a port', 'tcp://127.0.0.1', /neither/],
    ['a port out of range', 'tcp://127.0.0.1:70000', /no valid port/],
  ])('refuses %s', (_case, value, message) => {
    expect(() => parseDockerHost(value)).toThrow(message);
  });

  it.each(['unix:///run/agora-docker.x/docker.sock', 'tcp://127.0.0.1:2375', 'tcp://[::1]:2375'])('says %s back as it was written', (value) => {
    expect(describeAddress(parseDockerHost(value))).toBe(value);
  });
});
