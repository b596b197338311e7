import { HttpStatusError, UnreachableError } from '../http/http-client';
import { FakeMaster } from '../testing/fake-master';
import { agentCall, type AgentCommand, changeAgent, outcome } from './agent-commands';

describe('the v1 call of each command', () => {
  it.each<[string, AgentCommand, unknown]>([
    [
      'drain with a grace period and mark_gone',
      { name: 'drain', agentId: 'm-S1', maxGracePeriodSeconds: 30, markGone: true },
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'm-S1' }, max_grace_period: { nanoseconds: 30_000_000_000 }, mark_gone: true } },
    ],
    [
      'drain without a grace period leaves it out',
      { name: 'drain', agentId: 'm-S1', markGone: false },
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'm-S1' }, mark_gone: false } },
    ],
    [
      'drain with a fractional grace period, in whole nanoseconds',
      { name: 'drain', agentId: 'm-S1', maxGracePeriodSeconds: 0.1, markGone: false },
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'm-S1' }, max_grace_period: { nanoseconds: 100_000_000 }, mark_gone: false } },
    ],
    ['deactivate', { name: 'deactivate', agentId: 'm-S1' }, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'm-S1' } } }],
    ['reactivate', { name: 'reactivate', agentId: 'm-S1' }, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: 'm-S1' } } }],
  ])('%s', (_case, command, call) => {
    expect(agentCall(command)).toStrictEqual(call);
  });

  it('keeps the 30-day limit of --max-grace-period an exact integer of nanoseconds', () => {
    const call = agentCall({ name: 'drain', agentId: 'a', maxGracePeriodSeconds: 2_592_000, markGone: false });
    const nanoseconds = call.type === 'DRAIN_AGENT' ? call.drain_agent.max_grace_period?.nanoseconds : undefined;
    expect(Number.isSafeInteger(nanoseconds)).toBe(true);
  });
});

describe('the line each command prints', () => {
  it.each<[AgentCommand, string]>([
    [{ name: 'drain', agentId: 'm-S1', maxGracePeriodSeconds: 30, markGone: false }, 'agent m-S1 is draining (tasks killed within 30 s)'],
    [{ name: 'drain', agentId: 'm-S1', maxGracePeriodSeconds: 0, markGone: false }, 'agent m-S1 is draining (tasks killed at once)'],
    [{ name: 'drain', agentId: 'm-S1', markGone: true }, 'agent m-S1 is draining (tasks killed with their own grace periods; marked gone once drained)'],
    [{ name: 'deactivate', agentId: 'm-S1' }, 'agent m-S1 is deactivated (no new offers; its tasks keep running)'],
    [{ name: 'reactivate', agentId: 'm-S1' }, 'agent m-S1 is reactivated (offered again)'],
  ])('%j', (command, line) => {
    expect(outcome(command)).toBe(line);
  });
});

describe('changeAgent', () => {
  const masters: FakeMaster[] = [];
  const start = async (...args: Parameters<typeof FakeMaster.start>): Promise<FakeMaster> => {
    const master = await FakeMaster.start(...args);
    masters.push(master);
    return master;
  };

  afterEach(async () => {
    await Promise.all(masters.splice(0).map((m) => m.close()));
  });

  it('POSTs the call as JSON to /api/v1 and says what happened', async () => {
    const master = await start();
    const line = await changeAgent(master.url, { name: 'drain', agentId: 'm-S1', maxGracePeriodSeconds: 5, markGone: true });
    expect(line).toBe('agent m-S1 is draining (tasks killed within 5 s; marked gone once drained)');
    expect(master.operatorCalls.map((c) => c.body)).toEqual([
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'm-S1' }, max_grace_period: { nanoseconds: 5e9 }, mark_gone: true } },
    ]);
    expect(master.operatorCalls[0].headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
  });

  it('keeps the path prefix of a master behind a proxy', async () => {
    const master = await start();
    // The fake serves /api/v1 only, so a prefix shows as a 404 naming the prefixed path.
    await expect(changeAgent(`${master.url}/mesos`, { name: 'deactivate', agentId: 'a' })).rejects.toThrow('POST /mesos/api/v1 answered 404');
  });

  it('follows a standby’s protocol-relative 307 to the leader, sending the call again', async () => {
    const leader = await start();
    const standby = await start({ standby: { leader: new URL(leader.url).host } });
    expect(await changeAgent(standby.url, { name: 'reactivate', agentId: 'm-S1' })).toBe('agent m-S1 is reactivated (offered again)');
    expect(standby.standbyAnswered).toEqual(['POST /api/v1']);
    expect(leader.operatorCalls.map((c) => c.body)).toEqual([{ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: 'm-S1' } } }]);
  });

  it('follows a chain of standbys, but not forever', async () => {
    /** n standbys in a row, each sending to the next, the last to `leader`; the first of them. */
    const chain = async (n: number, leader: FakeMaster): Promise<FakeMaster[]> => {
      const standbys: FakeMaster[] = [];
      let next = leader;
      for (let i = 0; i < n; i++) standbys.unshift((next = await start({ standby: { leader: new URL(next.url).host } })));
      return standbys;
    };
    const leader = await start();
    const [first] = await chain(3, leader);
    expect(await changeAgent(first.url, { name: 'deactivate', agentId: 'a' })).toBe('agent a is deactivated (no new offers; its tasks keep running)');
    expect(leader.operatorCalls).toHaveLength(1);

    // A fourth redirect is not followed: the last answer is the error.
    const farLeader = await start();
    const four = await chain(4, farLeader);
    const error = await changeAgent(four[0].url, { name: 'deactivate', agentId: 'a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).message).toMatch(/^POST \/api\/v1 answered 307 Temporary Redirect: This master is not the leader/);
    expect(four.map((s) => s.standbyAnswered.length)).toEqual([1, 1, 1, 1]);
    expect(farLeader.operatorCalls).toEqual([]);
  });

  it('throws HttpStatusError with the master’s reason for a 400', async () => {
    const master = await start({ refuseOperatorCall: { type: 'DRAIN_AGENT', status: 400, body: 'Agent m-S1 is not capable of draining' } });
    const error = await changeAgent(master.url, { name: 'drain', agentId: 'm-S1', markGone: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).message).toBe('POST /api/v1 answered 400 Bad Request: Agent m-S1 is not capable of draining');
  });

  it('says no leader is known when a standby answers 503', async () => {
    const standby = await start({ standby: {} });
    await expect(changeAgent(standby.url, { name: 'deactivate', agentId: 'a' })).rejects.toThrow(
      'POST /api/v1 answered 503 Service Unavailable: No leading master is known; retry shortly or ask another master',
    );
  });

  it('says no leader is known when a 503 comes without a reason', async () => {
    const master = await start({ refuseOperatorCall: { type: 'DEACTIVATE_AGENT', status: 503, body: '' } });
    await expect(changeAgent(master.url, { name: 'deactivate', agentId: 'a' })).rejects.toThrow(
      'POST /api/v1 answered 503 Service Unavailable: no leading master is known; retry shortly',
    );
  });

  it('throws UnreachableError when nothing listens', async () => {
    const master = await start();
    const url = master.url;
    await master.close();
    masters.length = 0;
    await expect(changeAgent(url, { name: 'reactivate', agentId: 'a' })).rejects.toBeInstanceOf(UnreachableError);
  });
});
