import { readlink, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@agora/resources';
import { AgentProfile } from '../machine/agent-profile';
import { unsafeIdReason } from './sandbox-layout';
import { SandboxService } from './sandbox.service';

describe('SandboxService', () => {
  let workDir: string;
  let sandboxes: SandboxService;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-sandbox-'));
    sandboxes = new SandboxService(new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []));
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  it('creates the Mesos layout with empty output files and a runs/latest link to the newest run', async () => {
    const ids = { agentId: 'm-S1', frameworkId: 'm-0001', executorId: 'task.1' };
    const first = await sandboxes.create({ ...ids, containerId: 'c1' });
    expect(first).toEqual({
      directory: join(workDir, 'slaves/m-S1/frameworks/m-0001/executors/task.1/runs/c1'),
      stdout: join(workDir, 'slaves/m-S1/frameworks/m-0001/executors/task.1/runs/c1/stdout'),
      stderr: join(workDir, 'slaves/m-S1/frameworks/m-0001/executors/task.1/runs/c1/stderr'),
    });
    expect((await stat(first.stdout)).size).toBe(0);
    await sandboxes.create({ ...ids, containerId: 'c2' });
    expect(await readlink(join(workDir, 'slaves/m-S1/frameworks/m-0001/executors/task.1/runs/latest'))).toBe('c2');
  });

  it.each(['..', '.', 'a/b', '', 'a\0b'])('refuses the id %j, which could leave its parent directory', async (id) => {
    expect(unsafeIdReason(id)).toBeDefined();
    await expect(sandboxes.create({ agentId: 'a', frameworkId: 'f', executorId: id, containerId: 'c' })).rejects.toThrow(/executorId/);
  });
});
