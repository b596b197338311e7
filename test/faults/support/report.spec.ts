import { formatReport, type ScenarioResult } from './report';

const result = (scenario: string, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenario,
  passed: true,
  launched: 40,
  lost: 0,
  duplicateRuns: 0,
  recoverMs: 2500,
  masterRestarts: 0,
  masterSelfExits: 0,
  problems: [],
  ...extra,
});

describe('formatReport', () => {
  it('ends with the summary line', () => {
    const lines = formatReport([result('a'), result('b', { passed: false, lost: 2, duplicateRuns: 1, problems: ['x is TASK_LOST'] })]);
    expect(lines.at(-1)).toBe('faults: 2 scenarios, 2 tasks lost, 1 duplicate runs');
    expect(lines).toContain('  - x is TASK_LOST');
  });

  it('shows one row per scenario with its recovery time', () => {
    const lines = formatReport([result('master-kill', { recoverMs: 5230, masterRestarts: 2, masterSelfExits: 1 }), result('nats-restart', { recoverMs: null })]);
    expect(lines[0]).toMatch(/^scenario\s+result\s+launched\s+lost\s+duplicates\s+recover\s+master restarts$/);
    expect(lines[1]).toMatch(/^master-kill\s+pass\s+40\s+0\s+0\s+5\.2 s\s+2 \(1 by themselves\)$/);
    expect(lines[2]).toMatch(/^nats-restart\s+pass\s+40\s+0\s+0\s+-\s+0$/);
  });

  it('reports no scenario at all', () => {
    expect(formatReport([])).toEqual(['scenario  result  launched  lost  duplicates  recover  master restarts', 'faults: 0 scenarios, 0 tasks lost, 0 duplicate runs']);
  });
});
