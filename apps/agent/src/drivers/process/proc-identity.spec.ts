import { judgeProcess, type ProcessIdentity, readStartTime, startTimeOfStat } from './proc-identity';

/** /proc/<pid>/stat with the given command name, state and start time (field 22). */
const stat = (comm: string, state: string, start: number): string =>
  `4242 (${comm}) ${state} 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 2580480 150 18446744073709551615\n`;

describe('startTimeOfStat', () => {
  it.each<[string, string, number | undefined]>([
    ['a plain name', stat('sleep', 'S', 123456), 123456],
    ['a name with spaces and parentheses', stat('a (b) c', 'R', 99), 99],
    ['not a stat line', 'garbage', undefined],
  ])('%s', (_case, text, expected) => {
    expect(startTimeOfStat(text)).toBe(expected);
  });
});

describe('judgeProcess', () => {
  const task: ProcessIdentity = { pid: 4242, startTime: 500, bootId: 'boot-1' };
  it.each<[string, ProcessIdentity, { stat?: string; bootId?: string }, 'alive' | 'gone']>([
    ['the same process', task, { stat: stat('sleep', 'S', 500), bootId: 'boot-1' }, 'alive'],
    ['no such pid', task, { bootId: 'boot-1' }, 'gone'],
    ['the pid reused by another process', task, { stat: stat('bash', 'S', 9000), bootId: 'boot-1' }, 'gone'],
    ['another boot', task, { stat: stat('sleep', 'S', 500), bootId: 'boot-2' }, 'gone'],
    ['a zombie has ended', task, { stat: stat('sleep', 'Z', 500), bootId: 'boot-1' }, 'gone'],
    ['no start time was checkpointed: never trusted', { pid: 4242 }, { stat: stat('sleep', 'S', 500) }, 'gone'],
    ['no boot id readable: the start time decides', { pid: 4242, startTime: 500 }, { stat: stat('sleep', 'S', 500) }, 'alive'],
  ])('%s', (_case, checkpointed, now, expected) => {
    expect(judgeProcess(checkpointed, now)).toBe(expected);
  });

  it('reads the start time of a real process', async () => {
    expect(await readStartTime(process.pid)).toEqual(expect.any(Number));
  });
});
