import { isTaskOf } from './leftover-processes';

const environ = (...vars: string[]): string => `${vars.join('\0')}\0`;
const query = { agentId: 'agent-1', workDir: '/w/agent' };

describe('isTaskOf', () => {
  it.each<[string, string, boolean]>([
    ['a task of this agent', environ('PATH=/bin', 'MESOS_AGENT_ID=agent-1', 'MESOS_DIRECTORY=/w/agent/slaves/x'), true],
    ['another agent id', environ('MESOS_AGENT_ID=agent-2', 'MESOS_DIRECTORY=/w/agent/slaves/x'), false],
    ['another work dir with this one as a prefix', environ('MESOS_AGENT_ID=agent-1', 'MESOS_DIRECTORY=/w/agent2/slaves/x'), false],
    ['no MESOS_DIRECTORY', environ('MESOS_AGENT_ID=agent-1'), false],
    ['an agent id that only starts the same', environ('MESOS_AGENT_ID=agent-10', 'MESOS_DIRECTORY=/w/agent/slaves/x'), false],
    ['an unrelated process', environ('HOME=/root'), false],
  ])('%s', (_case, text, expected) => {
    expect(isTaskOf(text, query)).toBe(expected);
  });

  it('matches the tasks of any agent under the work dir when no agent id is given', () => {
    expect(isTaskOf(environ('MESOS_AGENT_ID=agent-9', 'MESOS_DIRECTORY=/w/agent/slaves/x'), { workDir: '/w/agent' })).toBe(true);
    expect(isTaskOf(environ('MESOS_DIRECTORY=/w/agent/slaves/x'), { workDir: '/w/agent' })).toBe(false);
  });
});
