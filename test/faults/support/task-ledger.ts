/**
 * The ledger every workload task writes to: one shared file on the host, appended to with
 * O_APPEND (lines shorter than PIPE_BUF land whole), `start <task> <host> <epoch-ms> <pid>`
 * when the task's process begins and `end <task> <host> <epoch-ms> <how>` when it ends (`exit`,
 * or `term` when it was killed with SIGTERM; a SIGKILL leaves no end line). It shows what ran
 * where, and whether a task id ever ran twice — which no status update can hide.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = `#!/bin/sh
# fault-suite task: <task id> <host> <ledger> <seconds>
id=$1 host=$2 ledger=$3 secs=$4
echo "start $id $host $(date +%s%3N) $$" >> "$ledger"
trap 'echo "end $id $host $(date +%s%3N) term" >> "$ledger"; exit 143' TERM INT
sleep "$secs" &
wait $!
echo "end $id $host $(date +%s%3N) exit" >> "$ledger"
`;

export interface LedgerRun {
  readonly taskId: string;
  readonly host: string;
  readonly startMs: number;
  readonly pid: number;
  endMs?: number;
  how?: string;
}

export interface LedgerSummary {
  /** Every run in order of start; a task id appears once per time its process started. */
  readonly runs: readonly LedgerRun[];
  /** Runs beyond the first of each task id (a scheduler never relaunches an id: each is a duplicate). */
  readonly duplicateRuns: number;
  /** Task ids whose runs overlapped in time (ran twice at once). */
  readonly overlapping: readonly string[];
}

/** Writes the task script into `dir`; returns the command line of one task. */
export class TaskLedger {
  readonly file: string;
  private readonly script: string;

  constructor(dir: string) {
    this.file = join(dir, 'ledger.txt');
    this.script = join(dir, 'task.sh');
    writeFileSync(this.script, SCRIPT);
    chmodSync(this.script, 0o755);
    writeFileSync(this.file, '');
    // Tasks may run as another user one day; the file must stay appendable for them.
    chmodSync(this.file, 0o666);
  }

  command(taskId: string, host: string, seconds: number): string {
    return `/bin/sh ${this.script} ${taskId} ${host} ${this.file} ${seconds}`;
  }

  read(): LedgerSummary {
    return summarizeLedger(existsSync(this.file) ? readFileSync(this.file, 'utf8') : '');
  }

  /** Process ids of runs without an end line (still running, or killed with SIGKILL). */
  unfinishedPids(): number[] {
    return this.read()
      .runs.filter((r) => r.endMs === undefined)
      .map((r) => r.pid);
  }
}

/** Parses ledger text; malformed lines (a torn write of a killed shell) are ignored. */
export function summarizeLedger(text: string): LedgerSummary {
  const runs: LedgerRun[] = [];
  const open = new Map<string, LedgerRun[]>();
  for (const line of text.split('\n')) {
    const [kind, taskId, host, ms, last] = line.trim().split(/\s+/);
    const at = Number(ms);
    if (taskId === undefined || host === undefined || !Number.isFinite(at) || last === undefined) continue;
    if (kind === 'start') {
      const run: LedgerRun = { taskId, host, startMs: at, pid: Number(last) };
      runs.push(run);
      open.set(taskId, [...(open.get(taskId) ?? []), run]);
    } else if (kind === 'end') {
      const run = open.get(taskId)?.find((r) => r.endMs === undefined && r.host === host);
      if (run) {
        run.endMs = at;
        run.how = last;
      }
    }
  }
  let duplicateRuns = 0;
  const overlapping: string[] = [];
  for (const [taskId, list] of open) {
    duplicateRuns += list.length - 1;
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1];
      if (before.endMs === undefined || before.endMs > sorted[i].startMs) {
        overlapping.push(taskId);
        break;
      }
    }
  }
  return { runs, duplicateRuns, overlapping };
}
