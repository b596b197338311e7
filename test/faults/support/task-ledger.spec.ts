import { summarizeLedger } from './task-ledger';

describe('summarizeLedger', () => {
  const cases: { name: string; text: string; runs: number; duplicates: number; overlapping: string[] }[] = [
    { name: 'empty ledger', text: '', runs: 0, duplicates: 0, overlapping: [] },
    { name: 'one task started and ended', text: 'start t1 a1 1000 11\nend t1 a1 2000 exit\n', runs: 1, duplicates: 0, overlapping: [] },
    { name: 'a task still running', text: 'start t1 a1 1000 11\n', runs: 1, duplicates: 0, overlapping: [] },
    { name: 'two tasks interleaved', text: 'start t1 a1 1000 11\nstart t2 a2 1100 12\nend t2 a2 1500 exit\nend t1 a1 2000 term\n', runs: 2, duplicates: 0, overlapping: [] },
    { name: 'one id run twice one after the other', text: 'start t1 a1 1000 11\nend t1 a1 2000 exit\nstart t1 a2 3000 12\nend t1 a2 4000 exit\n', runs: 2, duplicates: 1, overlapping: [] },
    { name: 'one id run twice at once', text: 'start t1 a1 1000 11\nstart t1 a2 1500 12\nend t1 a1 2000 exit\nend t1 a2 2500 exit\n', runs: 2, duplicates: 1, overlapping: ['t1'] },
    { name: 'a first run killed -9 (no end) and a second one', text: 'start t1 a1 1000 11\nstart t1 a1 3000 12\n', runs: 2, duplicates: 1, overlapping: ['t1'] },
    { name: 'a torn line is ignored', text: 'start t1 a1 1000 11\nsta\nend t1 a1 20', runs: 1, duplicates: 0, overlapping: [] },
  ];
  it.each(cases)('$name', ({ text, runs, duplicates, overlapping }) => {
    const summary = summarizeLedger(text);
    expect(summary.runs).toHaveLength(runs);
    expect(summary.duplicateRuns).toBe(duplicates);
    expect(summary.overlapping).toEqual(overlapping);
  });

  it('pairs an end with the run on the same host', () => {
    const summary = summarizeLedger('start t1 a1 1000 11\nstart t1 a2 1500 12\nend t1 a2 1600 term\n');
    expect(summary.runs.map((r) => [r.host, r.endMs, r.how])).toEqual([
      ['a1', undefined, undefined],
      ['a2', 1600, 'term'],
    ]);
  });
});
