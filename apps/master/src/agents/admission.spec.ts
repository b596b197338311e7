import type { AgentAdmission } from '../registry';
import { sameAdmission } from './admission';

const base: AgentAdmission = {
  id: 'M-S1',
  hostname: 'agent-1',
  port: 5051,
  resources: 'cpus:4;mem:4096;ports:[31000-32000]',
  attributes: { rack: 'r1', level: 10, keys: { ranges: [{ begin: 1, end: 5 }] } },
};

describe('sameAdmission', () => {
  it.each<[string, Partial<AgentAdmission>, boolean]>([
    ['the same', {}, true],
    ['attributes in another key order', { attributes: { level: 10, keys: { ranges: [{ end: 5, begin: 1 }] }, rack: 'r1' } }, true],
    ['another id', { id: 'M-S2' }, false],
    ['another hostname', { hostname: 'agent-2' }, false],
    ['another port', { port: 5052 }, false],
    ['other resources', { resources: 'cpus:8;mem:4096;ports:[31000-32000]' }, false],
    ['an attribute changed', { attributes: { rack: 'r2', level: 10, keys: { ranges: [{ begin: 1, end: 5 }] } } }, false],
    ['an attribute added', { attributes: { rack: 'r1', level: 10, keys: { ranges: [{ begin: 1, end: 5 }] }, zone: 'a' } }, false],
    ['an attribute removed', { attributes: { rack: 'r1', level: 10 } }, false],
    ['a range changed', { attributes: { rack: 'r1', level: 10, keys: { ranges: [{ begin: 1, end: 6 }] } } }, false],
    ['a text attribute that looks like a number', { attributes: { rack: 'r1', level: '10', keys: { ranges: [{ begin: 1, end: 5 }] } } }, false],
  ])('%s → %s', (_what, change, same) => {
    expect(sameAdmission(base, { ...base, ...change })).toBe(same);
  });

  it('arrays must match element by element', () => {
    expect(sameAdmission({ ...base, attributes: { a: [1, 2] } }, { ...base, attributes: { a: [1, 2] } })).toBe(true);
    expect(sameAdmission({ ...base, attributes: { a: [1, 2] } }, { ...base, attributes: { a: [2, 1] } })).toBe(false);
    expect(sameAdmission({ ...base, attributes: { a: [1] } }, { ...base, attributes: { a: { 0: 1 } } })).toBe(false);
  });
});
