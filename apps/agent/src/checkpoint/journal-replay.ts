/**
 * The on-disk form of a task's status-update stream (`task.updates`, reference §5.4): one JSON
 * object per line, `{"update": <TaskStatus>}` when an update joins the stream and
 * `{"ack": "<uuid>"}` when its acknowledgement arrives. Replaying it gives what a restarted
 * agent must resend. Pure: text in, values out.
 */
import type { TaskStatus } from '@agora/protocol';

export type JournalRecord = { readonly update: TaskStatus & { uuid: string } } | { readonly ack: string };

export interface Replay {
  /** Every update of the task, oldest first (for /state). */
  readonly statuses: readonly (TaskStatus & { uuid: string })[];
  /** The updates never acknowledged, in order: the stream to resend. */
  readonly pending: readonly (TaskStatus & { uuid: string })[];
  /** Lines that could not be read (a torn last line after a crash mid-write). */
  readonly skipped: number;
}

export function journalLine(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export function replayJournal(text: string): Replay {
  const statuses: (TaskStatus & { uuid: string })[] = [];
  const acknowledged = new Set<string>();
  const seen = new Set<string>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = parseRecord(line);
    if (record === undefined) skipped++;
    else if ('ack' in record) acknowledged.add(record.ack);
    else if (!seen.has(record.update.uuid)) {
      seen.add(record.update.uuid);
      statuses.push(record.update);
    }
  }
  return { statuses, pending: statuses.filter((s) => !acknowledged.has(s.uuid)), skipped };
}

function parseRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { update?: unknown; ack?: unknown };
  if (typeof record.ack === 'string') return { ack: record.ack };
  const update = record.update as Partial<TaskStatus> | undefined;
  if (typeof update === 'object' && update !== null && typeof update.uuid === 'string' && typeof update.state === 'string' && typeof update.task_id?.value === 'string') {
    return { update: update as TaskStatus & { uuid: string } };
  }
  return undefined;
}
