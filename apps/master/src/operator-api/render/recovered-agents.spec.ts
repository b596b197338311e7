import { renderRecoveredAgentInfo, renderRecoveredSlave } from './recovered-agents';

const AGENT = { id: 'm-S1', hostname: 'h1', port: 5051, resources: 'cpus:4;mem:1024', attributes: { rack: 'r1', level: 3 }, deactivated: false, drainInfo: null };

describe('recovered agents', () => {
  it('v0 recovered_slaves: the SlaveInfo the registry keeps', () => {
    expect(renderRecoveredSlave(AGENT)).toEqual({ id: 'm-S1', hostname: 'h1', port: 5051, resources: expect.objectContaining({ cpus: 4, mem: 1024 }), attributes: { rack: 'r1', level: 3 } });
  });

  it('v1 recovered_agents: AgentInfo with v1 resources and typed attributes', () => {
    const info = renderRecoveredAgentInfo(AGENT);
    expect(info).toMatchObject({ id: { value: 'm-S1' }, hostname: 'h1', port: 5051 });
    expect(info.resources?.map((r) => [r.name, r.scalar?.value])).toEqual([
      ['cpus', 4],
      ['mem', 1024],
    ]);
    expect(info.attributes).toEqual([
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'level', type: 'SCALAR', scalar: { value: 3 } },
    ]);
  });

  it('unreadable resources show as none rather than failing the whole answer', () => {
    expect(renderRecoveredSlave({ ...AGENT, resources: 'cpus:lots' }).resources).toMatchObject({ cpus: 0, mem: 0 });
  });
});
