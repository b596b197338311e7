import type { Resource } from '@agora/protocol';
import { ResourceMemo } from './resource-memo';

const cpus = (value: number): Resource[] => [{ name: 'cpus', type: 'SCALAR', scalar: { value } }];

describe('ResourceMemo', () => {
  it('parses equal JSON once and shares the value', () => {
    const memo = new ResourceMemo();
    const a = memo.parse(cpus(1), 'task.resources');
    const b = memo.parse(cpus(1), 'task.resources');
    expect(b).toBe(a);
    expect(memo.size).toBe(1);
    expect(memo.parse(cpus(2), 'task.resources')).not.toBe(a);
  });

  it('reads a missing list as no resources', () => {
    expect(new ResourceMemo().parse(undefined, 'task.resources').isEmpty()).toBe(true);
  });

  it('throws for invalid resources every time, naming the path, and remembers nothing', () => {
    const memo = new ResourceMemo();
    const bad = [{ name: 'cpus', type: 'SCALAR' }] as unknown as Resource[];
    expect(() => memo.parse(bad, 'task.resources')).toThrow(/task\.resources/);
    expect(() => memo.parse(bad, 'task.resources')).toThrow(/task\.resources/);
    expect(memo.size).toBe(0);
  });

  it('forgets the oldest entry beyond its capacity', () => {
    const memo = new ResourceMemo(2);
    const first = memo.parse(cpus(1), 'r');
    memo.parse(cpus(2), 'r');
    memo.parse(cpus(3), 'r');
    expect(memo.size).toBe(2);
    expect(memo.parse(cpus(1), 'r')).not.toBe(first);
  });
});
