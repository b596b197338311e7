import { executorEnvironment, mesosDuration } from './executor-environment';

describe('mesosDuration: durations as Mesos writes them', () => {
  it.each<[number, string]>([
    [0, '0ns'],
    [0.5, '500us'],
    [250, '250ms'],
    [1000, '1secs'],
    [1500, '1.5secs'],
    [5000, '5secs'],
    [60_000, '1mins'],
    [900_000, '15mins'],
    [7_200_000, '2hrs'],
    [86_400_000, '1days'],
    [1_209_600_000, '2weeks'],
  ])('%d ms is %s', (ms, text) => {
    expect(mesosDuration(ms)).toBe(text);
  });
});

describe('executorEnvironment', () => {
  const input = {
    sandbox: '/work/slaves/a-S1/frameworks/f/executors/e/runs/c',
    frameworkId: 'f',
    executorId: 'e',
    agentId: 'a-S1',
    agentEndpoint: '127.0.0.1:5051',
    checkpoint: false,
    shutdownGraceMs: 5000,
    command: {},
  };

  it('tells the executor who it is and where the agent answers', () => {
    expect(executorEnvironment(input)).toEqual({
      env: {
        MESOS_FRAMEWORK_ID: 'f',
        MESOS_EXECUTOR_ID: 'e',
        MESOS_DIRECTORY: input.sandbox,
        MESOS_SANDBOX: input.sandbox,
        MESOS_SLAVE_ID: 'a-S1',
        MESOS_AGENT_ID: 'a-S1',
        MESOS_SLAVE_PID: 'slave(1)@127.0.0.1:5051',
        MESOS_AGENT_ENDPOINT: '127.0.0.1:5051',
        MESOS_CHECKPOINT: '0',
        MESOS_HTTP_COMMAND_EXECUTOR: '0',
        MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '5secs',
      },
      skipped: [],
    });
  });

  it('adds the recovery settings for checkpointing frameworks', () => {
    expect(executorEnvironment({ ...input, checkpoint: true }).env).toMatchObject({
      MESOS_CHECKPOINT: '1',
      MESOS_RECOVERY_TIMEOUT: '15mins',
      MESOS_SUBSCRIPTION_BACKOFF_MAX: '2secs',
    });
  });

  it("lets the command's own variables win, and leaves secrets out", () => {
    const { env, skipped } = executorEnvironment({
      ...input,
      command: { environment: { variables: [{ name: 'MESOS_SANDBOX', value: '/mnt/mesos/sandbox' }, { name: 'TOKEN', type: 'SECRET', secret: {} }, { name: 'MODE', value: 'fast' }] } },
    });
    expect(env).toMatchObject({ MESOS_SANDBOX: '/mnt/mesos/sandbox', MODE: 'fast' });
    expect(env.TOKEN).toBeUndefined();
    expect(skipped).toEqual(['TOKEN']);
  });
});
