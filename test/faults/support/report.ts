/**
 * The suite's report. Every scenario writes `<out>/<scenario>/result.json` when it ends, pass or
 * fail; `npm run test:faults` (run-faults.ts) prints them as a table after jest, ending with the
 * line `faults: S scenarios, L tasks lost, D duplicate runs`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where scenarios keep their logs and results (git-ignored). */
export const FAULTS_OUT = resolve(__dirname, '..', '..', '..', '.ci', 'out', 'faults');

export interface ScenarioResult {
  readonly scenario: string;
  readonly passed: boolean;
  readonly launched: number;
  readonly lost: number;
  readonly duplicateRuns: number;
  /** Fault injected → first task launched after it RUNNING; null when none got there. */
  readonly recoverMs: number | null;
  /** Masters the supervisor started again, and how many of those exits nobody caused. */
  readonly masterRestarts: number;
  readonly masterSelfExits: number;
  readonly problems: readonly string[];
}

export function writeResult(dir: string, result: ScenarioResult): void {
  writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}

export function readResults(out = FAULTS_OUT): ScenarioResult[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((name) => existsSync(join(out, name, 'result.json')))
    .map((name) => JSON.parse(readFileSync(join(out, name, 'result.json'), 'utf8')) as ScenarioResult)
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** The report's lines; the last one is the summary line CI and people grep for. */
export function formatReport(results: readonly ScenarioResult[]): string[] {
  const header = ['scenario', 'result', 'launched', 'lost', 'duplicates', 'recover', 'master restarts'];
  const rows = results.map((r) => [
    r.scenario,
    r.passed ? 'pass' : 'FAIL',
    String(r.launched),
    String(r.lost),
    String(r.duplicateRuns),
    r.recoverMs === null ? '-' : `${(r.recoverMs / 1000).toFixed(1)} s`,
    r.masterSelfExits > 0 ? `${r.masterRestarts} (${r.masterSelfExits} by themselves)` : String(r.masterRestarts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const problems = results.filter((r) => r.problems.length > 0).flatMap((r) => [`${r.scenario}:`, ...r.problems.slice(0, 10).map((p) => `  - ${p}`)]);
  const lost = results.reduce((n, r) => n + r.lost, 0);
  const duplicates = results.reduce((n, r) => n + r.duplicateRuns, 0);
  return [
    line(header),
    ...rows.map(line),
    ...(problems.length > 0 ? ['', ...problems] : []),
    `faults: ${results.length} scenarios, ${lost} tasks lost, ${duplicates} duplicate runs`,
  ];
}
