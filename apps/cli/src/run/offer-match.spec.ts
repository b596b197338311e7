import type { Offer, Resource } from '@agora/protocol';
import { allocationRole, fits, offeredScalar, TaskRequest, taskInfoFor } from './offer-match';

const ROLE = { role: 'eng' };

function scalar(name: string, value: number, extra: Partial<Resource> = {}): Resource {
  return { name, type: 'SCALAR', scalar: { value }, role: '*', allocation_info: ROLE, ...extra };
}

function offer(resources: Resource[], extra: Partial<Offer> = {}): Offer {
  return {
    id: { value: 'm-O1' },
    framework_id: { value: 'm-0001' },
    agent_id: { value: 'm-S1' },
    hostname: 'node-1',
    allocation_info: ROLE,
    resources,
    ...extra,
  };
}

const request: TaskRequest = { taskId: 'agora-run-1', name: 'agora-run', command: 'echo hi', env: [], cpus: 0.5, mem: 64 };

describe('offer matching', () => {
  it('sums split pieces of a scalar exactly', () => {
    const o = offer([scalar('cpus', 0.1), scalar('cpus', 0.2), scalar('mem', 10)]);
    expect(offeredScalar(o, 'cpus')).toBe(0.3);
  });

  it.each<[string, Resource[], boolean]>([
    ['enough of both', [scalar('cpus', 1), scalar('mem', 128)], true],
    ['exactly enough', [scalar('cpus', 0.5), scalar('mem', 64)], true],
    ['too few cpus', [scalar('cpus', 0.4), scalar('mem', 128)], false],
    ['too little mem', [scalar('cpus', 1), scalar('mem', 63)], false],
    ['no mem at all', [scalar('cpus', 1)], false],
    ['enough only counting revocable cpus', [scalar('cpus', 0.2), scalar('cpus', 1, { revocable: {} }), scalar('mem', 128)], false],
    ['enough across a reserved and an unreserved piece', [scalar('cpus', 0.25, { role: 'eng' }), scalar('cpus', 0.25), scalar('mem', 64)], true],
  ])('%s', (_case, resources, expected) => {
    expect(fits(offer(resources), request)).toBe(expected);
  });

  it('reads the allocation role from the offer, or from its resources', () => {
    expect(allocationRole(offer([]))).toBe('eng');
    expect(allocationRole(offer([scalar('cpus', 1)], { allocation_info: undefined }))).toBe('eng');
  });
});

describe('taskInfoFor', () => {
  it('builds a shell command task on the offer’s agent with resources cut from the offer', () => {
    const task = taskInfoFor(offer([scalar('cpus', 4), scalar('mem', 1024), scalar('disk', 100)]), request);
    expect(task).toEqual({
      name: 'agora-run',
      task_id: { value: 'agora-run-1' },
      agent_id: { value: 'm-S1' },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, role: '*', allocation_info: ROLE },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, role: '*', allocation_info: ROLE },
      ],
      command: { value: 'echo hi', shell: true },
    });
  });

  it('keeps each piece’s reservation and splits across pieces', () => {
    const reserved = scalar('cpus', 0.3, { role: 'eng', reservation: { principal: 'ops' } });
    const task = taskInfoFor(offer([reserved, scalar('cpus', 1), scalar('mem', 64)]), request);
    expect(task?.resources).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.3 }, role: 'eng', reservation: { principal: 'ops' }, allocation_info: ROLE },
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.2 }, role: '*', allocation_info: ROLE },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, role: '*', allocation_info: ROLE },
    ]);
  });

  it('adds allocation_info from the offer when a resource lacks it', () => {
    const bare: Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } };
    const task = taskInfoFor(offer([bare, { ...bare, name: 'mem', scalar: { value: 64 } }]), request);
    expect(task?.resources?.map((r) => r.allocation_info)).toEqual([ROLE, ROLE]);
  });

  it('passes --env as the command’s environment', () => {
    const task = taskInfoFor(offer([scalar('cpus', 1), scalar('mem', 64)]), {
      ...request,
      env: [{ name: 'A', value: '1' }, { name: 'B', value: '' }],
    });
    expect(task?.command).toEqual({
      value: 'echo hi',
      shell: true,
      environment: { variables: [{ name: 'A', value: '1' }, { name: 'B', value: '' }] },
    });
  });

  it('runs the command in a Docker container of --image, with HOST networking', () => {
    const task = taskInfoFor(offer([scalar('cpus', 1), scalar('mem', 64)]), { ...request, image: 'agora/busybox' });
    expect(task?.container).toEqual({ type: 'DOCKER', docker: { image: 'agora/busybox', network: 'HOST' } });
    expect(task?.command).toEqual({ value: 'echo hi', shell: true });
  });

  it("runs an image's own command when there is no command", () => {
    const task = taskInfoFor(offer([scalar('cpus', 1), scalar('mem', 64)]), { ...request, command: undefined, image: 'agora/node' });
    expect(task?.command).toEqual({ shell: false });
  });

  it('is undefined when the offer is too small', () => {
    expect(taskInfoFor(offer([scalar('cpus', 0.1), scalar('mem', 1024)]), request)).toBeUndefined();
  });
});
