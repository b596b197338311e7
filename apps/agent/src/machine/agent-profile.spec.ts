import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { toV0 } from '@agora/resources';
import { loadAgentConfig } from '../config/agent.config';
import { resolveAgentProfile } from './agent-profile';
import { probeMachine } from './machine-probe';

describe('resolveAgentProfile', () => {
  it('completes the given resources and parses the attributes', () => {
    const config = loadAgentConfig({}, { AGORA_AGENT_RESOURCES: 'cpus:2', AGORA_AGENT_ATTRIBUTES: 'rack:r1', AGORA_AGENT_HOSTNAME: 'box' });
    const profile = resolveAgentProfile(config, '/work', { cpus: 4, memTotalMb: 4096, diskTotalMb: 20_480 });
    expect(profile).toMatchObject({ hostname: 'box', ip: '127.0.0.1', workDir: '/work', attributes: [{ name: 'rack', type: 'TEXT' }] });
    expect(toV0(profile.resources)).toEqual({ cpus: 2, mem: 3072, disk: 15_360, gpus: 0, ports: '[31000-32000]' });
  });
});

describe('probeMachine', () => {
  it('measures cpus, memory and the disk of a directory', async () => {
    const facts = await probeMachine(tmpdir());
    expect(facts.cpus).toBeGreaterThanOrEqual(1);
    expect(facts.memTotalMb).toBeGreaterThan(0);
    expect(facts.diskTotalMb).toBeGreaterThan(0);
  });
});
