import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../clock/clock';
import { waitFor } from '../../testing/wait-for';
import { Cgroups, cpuMax, DEFAULT_CGROUP_ROOT, memoryMax } from './cgroups';
import { commandLine, enteringCgroup } from './command-line';
import { ProcessDriver } from './process-driver';

describe('cpuMax and memoryMax', () => {
  it.each([
    [1, '100000 100000'],
    [0.5, '50000 100000'],
    [2.25, '225000 100000'],
    [0.001, '1000 100000'],
    [undefined, 'max 100000'],
    [Infinity, 'max 100000'],
  ])('cpus %s → cpu.max %s', (cpus, expected) => {
    expect(cpuMax(cpus)).toBe(expected);
  });

  it.each([
    [32, String(32 * 1024 * 1024)],
    [0.5, String(512 * 1024)],
    [undefined, 'max'],
    [Infinity, 'max'],
  ])('mem %s MB → memory.max %s', (mem, expected) => {
    expect(memoryMax(mem)).toBe(expected);
  });
});

describe('enteringCgroup', () => {
  it('joins the cgroup, then execs the command in place', () => {
    expect(enteringCgroup('/cg/cgroup.procs', commandLine({ value: 'echo hi' }))).toEqual({
      file: '/bin/sh',
      args: ['-c', 'echo $$ > "$1" || exit 125; shift; exec "$@"', 'agora-task', '/cg/cgroup.procs', '/bin/sh', '-c', 'echo hi'],
      argv0: 'sh',
    });
  });
});

/**
 * A directory shaped like a cgroup v2 root. The kernel enforces nothing here, but every file the
 * driver writes can be read back, which proves what it asks the kernel for.
 */
describe('Cgroups on a cgroup v2 hierarchy (simulated)', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'agora-cgroup-'));
    await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    await writeFile(join(root, 'cgroup.subtree_control'), '');
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('finds the cgroup of a container an earlier agent process created, and none for another', async () => {
    const created = await new Cgroups(root).create('c-old', { cpus: 1 });
    const later = new Cgroups(root);
    expect(await later.existing('c-old')).toEqual(created);
    expect(await later.existing('c-other')).toBeUndefined();
  });

  it('delegates cpu and memory to agora/ and writes the limits of a task', async () => {
    const cgroups = new Cgroups(root);
    expect([...(await cgroups.controllers())]).toEqual(['cpu', 'memory']);
    expect(await readFile(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu +memory');
    expect(await readFile(join(root, 'agora', 'cgroup.subtree_control'), 'utf8')).toBe('+cpu +memory');

    const cgroup = await cgroups.create('c1', { cpus: 1.5, memMb: 64 });
    expect(cgroup).toEqual({ path: join(root, 'agora', 'c1'), procsFile: join(root, 'agora', 'c1', 'cgroup.procs') });
    expect(await readFile(join(root, 'agora', 'c1', 'cpu.max'), 'utf8')).toBe('150000 100000');
    expect(await readFile(join(root, 'agora', 'c1', 'memory.max'), 'utf8')).toBe(String(64 * 1024 * 1024));
  });

  it('only enables the controllers the hierarchy has', async () => {
    await writeFile(join(root, 'cgroup.controllers'), 'memory pids\n');
    const cgroups = new Cgroups(root);
    await cgroups.create('c1', { cpus: 1, memMb: 8 });
    expect(existsSync(join(root, 'agora', 'c1', 'cpu.max'))).toBe(false);
    expect(existsSync(join(root, 'agora', 'c1', 'memory.max'))).toBe(true);
  });

  it('puts the task process into its cgroup before the command runs', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'agora-cgroup-sandbox-'));
    const driver = new ProcessDriver(new Cgroups(root), new Clock());
    try {
      const started = await driver.start({
        containerId: 'c2',
        command: { value: 'cat /proc/$$/cmdline > seen; sleep 60' },
        env: {},
        sandbox,
        stdoutPath: join(sandbox, 'stdout'),
        stderrPath: join(sandbox, 'stderr'),
        limits: { cpus: 0.5, memMb: 32 },
      });
      expect(started.limited).toBe(true);
      // The wrapper shell writes its pid, then execs the command.
      expect(await waitFor(() => readFile(join(root, 'agora', 'c2', 'cgroup.procs'), 'utf8').catch(() => ''))).toBe(`${started.pid}\n`);
      expect(await readFile(join(root, 'agora', 'c2', 'cpu.max'), 'utf8')).toBe('50000 100000');
      // The task itself runs in place of the wrapper: same pid, its own command line.
      expect(await waitFor(async () => (await readFile(join(sandbox, 'seen'), 'utf8').catch(() => '')).includes('sleep 60'))).toBe(true);
      await driver.stop(started.containerId, 1000);
      await driver.destroy(started.containerId);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });

  it.each([
    ['no cgroup.controllers (cgroup v1 or hybrid hosts)', async (r: string) => rm(join(r, 'cgroup.controllers'))],
    ['neither cpu nor memory', async (r: string) => writeFile(join(r, 'cgroup.controllers'), 'pids io')],
    ['a hierarchy that refuses delegation', async (r: string) => mkdir(join(r, 'cgroup.subtree_control', 'not-a-file'), { recursive: true }).catch(() => undefined)],
  ])('runs tasks unlimited, logging once, with %s', async (_case, spoil) => {
    await rm(join(root, 'cgroup.subtree_control'));
    await spoil(root);
    const logged: string[] = [];
    const cgroups = new Cgroups(root, (m) => logged.push(m));
    expect(await cgroups.create('c1', { cpus: 1 })).toBeUndefined();
    expect(await cgroups.create('c2', { cpus: 1 })).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/tasks run without cgroup limits/);
  });
});

/**
 * The kernel enforcing the limits. Runs only where /sys/fs/cgroup is a writable cgroup v2
 * hierarchy with the memory controller (the agent's own machines, not every CI box): on cgroup
 * v1 or hybrid hosts, such as the machine this was written on, the agent runs tasks unlimited
 * and there is nothing to prove.
 */
const realCgroupV2 = ((): boolean => {
  try {
    return readFileSync(join(DEFAULT_CGROUP_ROOT, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory') && process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe('Cgroups on this machine', () => {
  it('limits a task exactly when the host has a writable cgroup v2 hierarchy, and runs it either way', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'agora-cgroup-probe-'));
    const driver = new ProcessDriver(new Cgroups(), new Clock());
    try {
      const started = await driver.start({
        containerId: `probe-${process.pid}-${Date.now()}`,
        command: { value: 'echo ran' },
        env: {},
        sandbox,
        stdoutPath: join(sandbox, 'stdout'),
        stderrPath: join(sandbox, 'stderr'),
        limits: { memMb: 64, cpus: 1 },
      });
      expect(started.limited).toBe(realCgroupV2);
      expect(await driver.wait(started.containerId)).toEqual({ kind: 'exited', code: 0 });
      expect(await readFile(join(sandbox, 'stdout'), 'utf8')).toBe('ran\n');
      await driver.destroy(started.containerId);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

// The kernel's own proof needs a cgroup v2 host with the memory controller; on v1 or hybrid
// hosts (this project's CI machines) there is no limit to prove, so it waits for such a host.
(realCgroupV2 ? describe : describe.skip)('Cgroups on this machine’s cgroup v2 hierarchy', () => {
  it('stops a task that uses more memory than its limit', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'agora-cgroup-real-'));
    const driver = new ProcessDriver(new Cgroups(), new Clock());
    try {
      const started = await driver.start({
        containerId: `spec-${process.pid}-${Date.now()}`,
        // Holds ~200 MB in a shell variable.
        command: { value: 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived' },
        env: {},
        sandbox,
        stdoutPath: join(sandbox, 'stdout'),
        stderrPath: join(sandbox, 'stderr'),
        limits: { memMb: 32, cpus: 1 },
      });
      expect(started.limited).toBe(true);
      expect(await driver.wait(started.containerId)).not.toEqual({ kind: 'exited', code: 0 });
      expect(await readFile(join(sandbox, 'stdout'), 'utf8')).not.toContain('survived');
      await driver.destroy(started.containerId);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});
