import 'reflect-metadata';
import { hostname } from 'node:os';
import { ConfigError } from '@agora/nest-common';
import { type AgentConfig, loadAgentConfig, workDirOf } from './agent.config';

describe('AgentConfig', () => {
  it('has Mesos-like defaults', () => {
    expect(loadAgentConfig({}, {})).toMatchObject({
      port: 5051,
      host: '0.0.0.0',
      hostname: hostname(),
      advertiseIp: '127.0.0.1',
      workDir: undefined,
      resources: undefined,
      attributes: undefined,
      natsUrl: undefined,
      statusUpdateRetryMinMs: 10_000,
      statusUpdateRetryMaxMs: 600_000,
      killGraceMs: 3000,
      registrationTimeoutMs: 5000,
      registrationBackoffFactorMs: 1000,
      docker: 'auto',
      dockerHost: undefined,
      dockerRemoveDelayMs: 3_600_000,
      processLauncher: 'auto',
    });
  });

  it.each<[string, Record<string, string>, Partial<AgentConfig>]>([
    ['the hostname', { AGORA_AGENT_HOSTNAME: 'node-7.rack-2' }, { hostname: 'node-7.rack-2' }],
    ['the advertised IPv4', { AGORA_AGENT_ADVERTISE_IP: '10.0.0.7' }, { advertiseIp: '10.0.0.7' }],
    ['the advertised IPv6', { AGORA_AGENT_ADVERTISE_IP: '::1' }, { advertiseIp: '::1' }],
    ['the work dir', { AGORA_AGENT_WORK_DIR: '/var/lib/agora' }, { workDir: '/var/lib/agora' }],
    ['resources', { AGORA_AGENT_RESOURCES: 'cpus:4;mem:8192;ports:[31000-32000]' }, { resources: 'cpus:4;mem:8192;ports:[31000-32000]' }],
    ['reserved resources', { AGORA_AGENT_RESOURCES: 'cpus(eng):2;cpus:2' }, { resources: 'cpus(eng):2;cpus:2' }],
    ['attributes', { AGORA_AGENT_ATTRIBUTES: 'rack:r1;zone:a' }, { attributes: 'rack:r1;zone:a' }],
    ['one NATS URL', { NATS_URL: 'nats://127.0.0.1:4222' }, { natsUrl: 'nats://127.0.0.1:4222' }],
    ['several NATS URLs', { NATS_URL: 'nats://a:4222, nats://b:4222' }, { natsUrl: 'nats://a:4222, nats://b:4222' }],
    ['a NATS host:port', { NATS_URL: 'localhost:4222' }, { natsUrl: 'localhost:4222' }],
    ['retry bounds', { AGORA_STATUS_UPDATE_RETRY_MIN_MS: '100', AGORA_STATUS_UPDATE_RETRY_MAX_MS: '100' }, { statusUpdateRetryMinMs: 100, statusUpdateRetryMaxMs: 100 }],
    ['a zero kill grace', { AGORA_KILL_GRACE_MS: '0' }, { killGraceMs: 0 }],
    ['the registration timeout', { AGORA_REGISTRATION_TIMEOUT_MS: '250' }, { registrationTimeoutMs: 250 }],
    ['the backoff factor', { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '10' }, { registrationBackoffFactorMs: 10 }],
    ['Docker turned off', { AGORA_DOCKER: 'off' }, { docker: 'off' }],
    ['a Docker socket', { DOCKER_HOST: 'unix:///run/agora-docker.x/docker.sock' }, { dockerHost: 'unix:///run/agora-docker.x/docker.sock' }],
    ['a Docker engine over TCP', { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, { dockerHost: 'tcp://127.0.0.1:2375' }],
    ['an immediate container removal', { AGORA_DOCKER_REMOVE_DELAY_MS: '0' }, { dockerRemoveDelayMs: 0 }],
    ['the process launcher turned off', { AGORA_PROCESS_LAUNCHER: 'off' }, { processLauncher: 'off' }],
    ['a process launcher binary', { AGORA_PROCESS_LAUNCHER: '/opt/agora/agora-launcher' }, { processLauncher: '/opt/agora/agora-launcher' }],
  ])('reads %s', (_what, env, expected) => {
    expect(loadAgentConfig({}, env)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a hostname with a space', { AGORA_AGENT_HOSTNAME: 'my host' }, /AGORA_AGENT_HOSTNAME="my host": must be a host name/],
    ['a host name as the advertised IP', { AGORA_AGENT_ADVERTISE_IP: 'localhost' }, /AGORA_AGENT_ADVERTISE_IP="localhost": must be an IPv4 or IPv6 address/],
    ['resources that do not parse', { AGORA_AGENT_RESOURCES: 'cpus:abc' }, /AGORA_AGENT_RESOURCES="cpus:abc": invalid resource 'cpus:abc'/],
    ['a negative resource', { AGORA_AGENT_RESOURCES: 'mem:-1' }, /AGORA_AGENT_RESOURCES="mem:-1": invalid resource/],
    ['a bad port range', { AGORA_AGENT_RESOURCES: 'ports:[32000-31000]' }, /AGORA_AGENT_RESOURCES=/],
    ['an attribute without a value', { AGORA_AGENT_ATTRIBUTES: 'rack' }, /AGORA_AGENT_ATTRIBUTES="rack": invalid attribute 'rack': expected name:value/],
    ['an attribute range backwards', { AGORA_AGENT_ATTRIBUTES: 'keys:[9-1]' }, /AGORA_AGENT_ATTRIBUTES="keys:\[9-1\]": .*begin <= end/],
    ['a URL of another scheme', { NATS_URL: 'http://127.0.0.1:4222' }, /NATS_URL="http:\/\/127.0.0.1:4222": must be a NATS URL/],
    ['a maximum retry below the minimum', { AGORA_STATUS_UPDATE_RETRY_MIN_MS: '5000', AGORA_STATUS_UPDATE_RETRY_MAX_MS: '1000' }, /AGORA_STATUS_UPDATE_RETRY_MAX_MS="1000": must not be below AGORA_STATUS_UPDATE_RETRY_MIN_MS/],
    ['a fractional retry', { AGORA_STATUS_UPDATE_RETRY_MIN_MS: '1.5' }, /AGORA_STATUS_UPDATE_RETRY_MIN_MS="1.5": must be a whole number of milliseconds/],
    ['a negative kill grace', { AGORA_KILL_GRACE_MS: '-1' }, /AGORA_KILL_GRACE_MS="-1"/],
    ['a word for a timeout', { AGORA_REGISTRATION_TIMEOUT_MS: 'soon' }, /AGORA_REGISTRATION_TIMEOUT_MS="soon"/],
    ['a zero backoff factor', { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '0' }, /AGORA_REGISTRATION_BACKOFF_FACTOR_MS="0"/],
    ['a Docker mode that is none of auto, on, off', { AGORA_DOCKER: 'yes' }, /AGORA_DOCKER="yes": must be auto, on or off/],
    ['a Docker host without a scheme', { DOCKER_HOST: '/var/run/docker.sock' }, /DOCKER_HOST="\/var\/run\/docker.sock": must be unix:\/\/\/path/],
    ['a negative remove delay', { AGORA_DOCKER_REMOVE_DELAY_MS: '-1' }, /AGORA_DOCKER_REMOVE_DELAY_MS="-1"/],
    ['a relative launcher path', { AGORA_PROCESS_LAUNCHER: 'agora-launcher' }, /AGORA_PROCESS_LAUNCHER="agora-launcher": must be auto, off or the absolute path/],
  ])('rejects %s, naming the variable', (_what, env, problem) => {
    expect(() => loadAgentConfig({}, env)).toThrow(ConfigError);
    expect(() => loadAgentConfig({}, env)).toThrow(problem);
  });

  it('lists every bad variable at once', () => {
    try {
      loadAgentConfig({}, { AGORA_AGENT_RESOURCES: 'cpus:x', AGORA_AGENT_ATTRIBUTES: ':', AGORA_KILL_GRACE_MS: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^AGORA_AGENT_RESOURCES=/),
        expect.stringMatching(/^AGORA_AGENT_ATTRIBUTES=/),
        expect.stringMatching(/^AGORA_KILL_GRACE_MS=/),
      ]);
    }
  });

  it('lets overrides (flags, bootstrap options) beat the environment', () => {
    expect(loadAgentConfig({ workDir: '/flag', resources: 'cpus:1' }, { AGORA_AGENT_WORK_DIR: '/env', AGORA_AGENT_RESOURCES: 'cpus:9' })).toMatchObject({
      workDir: '/flag',
      resources: 'cpus:1',
    });
  });

  it.each([
    [{}, '.agora/agent-5051'],
    [{ AGORA_AGENT_PORT: '5052' }, '.agora/agent-5052'],
    [{ AGORA_AGENT_WORK_DIR: '/srv/agora' }, '/srv/agora'],
  ])('puts the work dir for %j at %s', (env, expected) => {
    expect(workDirOf(loadAgentConfig({}, env))).toBe(expected);
  });
});
