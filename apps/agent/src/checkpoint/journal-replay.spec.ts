import type { TaskStatus } from '@agora/protocol';
import { journalLine, type JournalRecord, replayJournal } from './journal-replay';

const update = (uuid: string, state: TaskStatus['state']): JournalRecord => ({ update: { task_id: { value: 't1' }, state, uuid } });
const text = (...records: JournalRecord[]): string => records.map(journalLine).join('');
const uuids = (statuses: readonly { uuid: string }[]): string[] => statuses.map((s) => s.uuid);

describe('replayJournal', () => {
  it.each<[string, string, string[], string[], number]>([
    ['an empty journal', '', [], [], 0],
    ['nothing acknowledged: everything is resent', text(update('a', 'TASK_STARTING'), update('b', 'TASK_RUNNING')), ['a', 'b'], ['a', 'b'], 0],
    ['the head acknowledged', text(update('a', 'TASK_STARTING'), { ack: 'a' }, update('b', 'TASK_RUNNING')), ['a', 'b'], ['b'], 0],
    ['all acknowledged', text(update('a', 'TASK_RUNNING'), { ack: 'a' }, update('b', 'TASK_FINISHED'), { ack: 'b' }), ['a', 'b'], [], 0],
    ['an update journaled twice counts once', text(update('a', 'TASK_RUNNING'), update('a', 'TASK_RUNNING')), ['a'], ['a'], 0],
    ['a torn last line (crash mid-write) is skipped', text(update('a', 'TASK_RUNNING')) + '{"update":{"task_', ['a'], ['a'], 1],
    ['a line that is not a record is skipped', text(update('a', 'TASK_RUNNING')) + '{"update":{"state":"TASK_RUNNING"}}\n', ['a'], ['a'], 1],
  ])('%s', (_case, journal, all, pending, skipped) => {
    const replay = replayJournal(journal);
    expect(uuids(replay.statuses)).toEqual(all);
    expect(uuids(replay.pending)).toEqual(pending);
    expect(replay.skipped).toBe(skipped);
  });

  it('writes one line per record', () => {
    expect(journalLine({ ack: 'x' })).toBe('{"ack":"x"}\n');
  });
});
