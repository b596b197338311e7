/**
 * The exit file agora-launcher writes for a task whose framework checkpoints (native/README.md):
 * one line, `exited <code>` or `signaled <signo>`. A recovering agent reads it for a task that
 * ended while no agent was there, and reports the task exactly as if it had watched it end.
 */
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import type { TaskExit } from '../task-driver';

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

/** The exit a file's text names; undefined for anything else (a torn or foreign file). */
export function parseExitFile(text: string): TaskExit | undefined {
  const match = /^(exited|signaled) (\d{1,3})\n?$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[2]);
  if (match[1] === 'exited') return value <= 255 ? { kind: 'exited', code: value } : undefined;
  const signal = SIGNAL_NAMES.get(value);
  return signal === undefined ? undefined : { kind: 'signaled', signal };
}

/** The exit in `path`, or undefined when there is no readable one. */
export async function readExitFile(path: string): Promise<TaskExit | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseExitFile(text);
}
