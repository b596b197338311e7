/**
 * Telling a process again after the agent restarted. A pid alone is not enough: once the task
 * ended, the kernel may give its number to any other process. The start time (field 22 of
 * /proc/<pid>/stat, in clock ticks since boot) together with the boot id names one process for
 * good, so a checkpointed pid is only taken for the task when both still match.
 */
import { readFile } from 'node:fs/promises';

/** One process as checkpointed; `startTime` undefined when it could not be read at the time. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime?: number;
  readonly bootId?: string;
}

/** How a checkpointed process is found: `alive` is the very same process; `gone` covers pid reuse and a reboot. */
export type ProcessProbe = 'alive' | 'gone';

/** The start time from the text of /proc/<pid>/stat; undefined when the text is not one. */
export function startTimeOfStat(stat: string): number | undefined {
  // The command name is in parentheses and may hold spaces or parentheses itself: fields start after the last ')'.
  const close = stat.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // Field 3 (state) is fields[0], so field 22 (starttime) is fields[19].
  const value = Number(fields[19]);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Whether the checkpointed process is still the one running under its pid (pure: the readings are passed in). */
export function judgeProcess(checkpointed: ProcessIdentity, now: { stat?: string; bootId?: string }): ProcessProbe {
  if (now.stat === undefined) return 'gone';
  if (checkpointed.bootId !== undefined && now.bootId !== undefined && checkpointed.bootId !== now.bootId) return 'gone';
  // A zombie has ended. Its parent (the orphaned launcher) reaps it at once and writes the
  // exit file, which the reader retries for a moment; some inits never reap at all.
  const state = now.stat.slice(now.stat.lastIndexOf(')') + 2, now.stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return 'gone';
  if (checkpointed.startTime === undefined) return 'gone';
  return startTimeOfStat(now.stat) === checkpointed.startTime ? 'alive' : 'gone';
}

export async function readStat(pid: number): Promise<string | undefined> {
  return readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
}

export async function readStartTime(pid: number): Promise<number | undefined> {
  const stat = await readStat(pid);
  return stat === undefined ? undefined : startTimeOfStat(stat);
}

let bootId: Promise<string | undefined> | undefined;

/** This boot's id; undefined where /proc does not say (the start time check alone then decides). */
export function readBootId(): Promise<string | undefined> {
  bootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  return bootId;
}

export async function probeProcess(checkpointed: ProcessIdentity): Promise<ProcessProbe> {
  return judgeProcess(checkpointed, { stat: await readStat(checkpointed.pid), bootId: await readBootId() });
}
