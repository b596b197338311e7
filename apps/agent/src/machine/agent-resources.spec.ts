import { Resources, toV0 } from '@agora/resources';
import { completeResources, diskToOffer, type MachineFacts, memoryToOffer } from './agent-resources';

const machine: MachineFacts = { cpus: 8, memTotalMb: 16_384, diskTotalMb: 100_000 };

describe('memoryToOffer and diskToOffer', () => {
  it.each([
    [16_384, 15_360],
    [2048, 1024],
    [2047, 1023],
    [1000, 500],
  ])('offers %d MB of memory as %d MB', (total, offered) => {
    expect(memoryToOffer(total)).toBe(offered);
  });

  it.each([
    [100_000, 94_880],
    [10_240, 5120],
    [10_239, 5119],
    [4000, 2000],
  ])('offers a %d MB disk as %d MB', (total, offered) => {
    expect(diskToOffer(total)).toBe(offered);
  });
});

describe('completeResources', () => {
  it('detects everything when nothing is given', () => {
    expect(toV0(completeResources(Resources.EMPTY, machine))).toEqual({ cpus: 8, mem: 15_360, disk: 94_880, gpus: 0, ports: '[31000-32000]' });
  });

  it.each([
    ['cpus:2', { cpus: 2, mem: 15_360, disk: 94_880, ports: '[31000-32000]' }],
    ['mem:512;ports:[5000-5010]', { cpus: 8, mem: 512, disk: 94_880, ports: '[5000-5010]' }],
    ['cpus:1;mem:1;disk:1;ports:[1-1]', { cpus: 1, mem: 1, disk: 1, ports: '[1-1]' }],
    // Any cpus count as given, as in Mesos: reserved cpus get no unreserved ones added.
    ['cpus(eng):2', { cpus: 2, mem: 15_360 }],
    ['gpus:1', { gpus: 1, cpus: 8 }],
  ])('completes %s with what the machine has', (given, expected) => {
    expect(toV0(completeResources(Resources.parse(given), machine))).toMatchObject(expected);
  });

  it('keeps a static reservation as given', () => {
    const resources = completeResources(Resources.parse('cpus(eng):2'), machine);
    expect(resources.reserved('eng').scalar('cpus')).toBe(2000);
    expect(resources.unreserved().scalar('cpus')).toBe(0);
  });
});
