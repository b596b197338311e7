import { Resources } from './resources';
import { toV0 } from './v0';

describe('v0 /state resources', () => {
  it.each([
    ['empty still lists the four basics', '', { cpus: 0, mem: 0, disk: 0, gpus: 0 }],
    ['agent total', 'cpus:2;mem:1024;ports:[31000-32000]', { cpus: 2, mem: 1024, disk: 0, gpus: 0, ports: '[31000-32000]' }],
    ['scalars summed over reservations', 'cpus:1;cpus(eng):0.5;cpus(reservations: [(DYNAMIC,eng)])(allocated: eng):0.25', { cpus: 1.75, mem: 0, disk: 0, gpus: 0 }],
    ['three decimals', 'cpus:0.001;mem:0.5', { cpus: 0.001, mem: 0.5, disk: 0, gpus: 0 }],
    ['revocable gets a suffix', 'cpus:1;cpus{REV}:2', { cpus: 1, cpus_revocable: 2, mem: 0, disk: 0, gpus: 0 }],
    ['ranges merged over identities, Mesos separator', 'ports:[1-2];ports(eng):[3-3,7-9]', { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: '[1-3, 7-9]' }],
    ['sets rendered', 'bugs:{b,a}', { cpus: 0, mem: 0, disk: 0, gpus: 0, bugs: '{a, b}' }],
    ['custom scalar', 'fpgas:3', { cpus: 0, mem: 0, disk: 0, gpus: 0, fpgas: 3 }],
  ])('%s', (_edge, text, json) => {
    expect(toV0(Resources.parse(text))).toEqual(json);
  });

  it('always starts with cpus, mem, disk, gpus in that order', () => {
    expect(Object.keys(toV0(Resources.parse('ports:[1-2];gpus:1')))).toEqual(['cpus', 'mem', 'disk', 'gpus', 'ports']);
  });
});
