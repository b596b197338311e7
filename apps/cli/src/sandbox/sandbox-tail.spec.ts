import { CollectedOutput } from '../testing/output-sink';
import { FakeAgent } from '../testing/fake-agent';
import { AgentFiles, agentBaseUrl, findExecutorDirectory } from './agent-files';
import { SandboxTail } from './sandbox-tail';

const FRAMEWORK = 'fw-1';
const TASK = 'agora-run-abc';
const DIR = '/var/agora/slaves/S1/frameworks/fw-1/executors/agora-run-abc/runs/latest';

describe('SandboxTail against an agent’s files API', () => {
  let agent: FakeAgent;
  let stdout: CollectedOutput;
  let stderr: CollectedOutput;

  beforeEach(async () => {
    agent = await FakeAgent.start();
    stdout = new CollectedOutput();
    stderr = new CollectedOutput();
  });

  afterEach(() => agent.close());

  function tail(chunkBytes?: number): SandboxTail {
    return new SandboxTail({
      files: new AgentFiles(agent.url),
      frameworkId: FRAMEWORK,
      executorId: TASK,
      stdout: stdout.sink,
      stderr: stderr.sink,
      intervalMs: 5,
      chunkBytes,
    });
  }

  it('streams stdout and stderr as they grow, and reads the rest on finish', async () => {
    const following = tail();
    following.start();
    // Before the sandbox exists the tail keeps asking quietly.
    agent.addExecutor({ frameworkId: FRAMEWORK, executorId: TASK, directory: DIR });
    agent.append(`${DIR}/stdout`, 'first line\n');
    await stdout.waitFor('first line\n');

    agent.append(`${DIR}/stdout`, 'second line\n');
    agent.append(`${DIR}/stderr`, 'a warning\n');
    await following.finish();

    expect(stdout.text).toBe('first line\nsecond line\n');
    expect(stderr.text).toBe('a warning\n');
  });

  it('reads output bigger than one page in several reads without losing bytes', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i}\n`).join('');
    agent.addExecutor({ frameworkId: FRAMEWORK, executorId: TASK, directory: DIR });
    agent.append(`${DIR}/stdout`, big);

    await tail(1000).finish();

    expect(stdout.text).toBe(big);
    const offsets = agent.reads.filter((r) => r.path === `${DIR}/stdout`).map((r) => r.offset);
    expect(offsets.slice(0, 3)).toEqual([0, 1000, 2000]);
  });

  it('keeps multi-byte characters intact', async () => {
    agent.addExecutor({ frameworkId: FRAMEWORK, executorId: TASK, directory: DIR });
    agent.append(`${DIR}/stdout`, 'héllo wörld ✓\n');
    await tail().finish();
    expect(stdout.text).toBe('héllo wörld ✓\n');
  });

  it('finds the sandbox of an executor that has already completed', async () => {
    agent.addExecutor({ frameworkId: FRAMEWORK, executorId: TASK, directory: DIR, completed: true });
    agent.append(`${DIR}/stdout`, 'done\n');
    await tail().finish();
    expect(stdout.text).toBe('done\n');
    expect(stderr.text).toBe(''); // no stderr file: 404 means nothing yet, not an error
  });

  it('fails finish() when the agent never reports the sandbox', async () => {
    await expect(tail().finish()).rejects.toThrow(`the agent reports no sandbox for executor '${TASK}'`);
  });
});

describe('findExecutorDirectory', () => {
  const executor = (id: string, directory: string) => ({ id, directory });

  it.each<[string, unknown, string | undefined]>([
    ['a running executor', { frameworks: [{ id: FRAMEWORK, executors: [executor(TASK, '/a')] }] }, '/a'],
    ['a completed executor', { frameworks: [{ id: FRAMEWORK, executors: [], completed_executors: [executor(TASK, '/b')] }] }, '/b'],
    ['an executor of a completed framework', { completed_frameworks: [{ id: FRAMEWORK, completed_executors: [executor(TASK, '/c')] }] }, '/c'],
    [
      'ours before another framework’s executor of the same id',
      { frameworks: [{ id: 'other', executors: [executor(TASK, '/theirs')] }, { id: FRAMEWORK, executors: [executor(TASK, '/ours')] }] },
      '/ours',
    ],
    ['nothing known', { frameworks: [] }, undefined],
    ['not a state at all', 'nonsense', undefined],
  ])('%s', (_case, state, expected) => {
    expect(findExecutorDirectory(state, FRAMEWORK, TASK)).toBe(expected);
  });
});

describe('agentBaseUrl', () => {
  const offer = { id: { value: 'o' }, framework_id: { value: 'f' }, agent_id: { value: 'a' }, hostname: 'node-1' };

  it.each([
    ['prefers the advertised ip', { scheme: 'http', address: { hostname: 'node-1', ip: '10.0.0.12', port: 5051 } }, 'http://10.0.0.12:5051'],
    ['falls back to the hostname', { scheme: 'http', address: { hostname: 'node-1', port: 5051 } }, 'http://node-1:5051'],
    ['brackets an IPv6 address', { scheme: 'http', address: { ip: '::1', port: 5051 } }, 'http://[::1]:5051'],
  ])('%s', (_case, url, expected) => {
    expect(agentBaseUrl({ ...offer, url })).toBe(expected);
  });

  it('is undefined without a url', () => {
    expect(agentBaseUrl(offer)).toBeUndefined();
  });
});
