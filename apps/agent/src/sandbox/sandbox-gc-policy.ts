/**
 * When a finished sandbox is removed (reference §5.8, Mesos `Slave::age` and
 * `GarbageCollectorProcess::prune`). A sandbox is kept `gc_delay` after its executor ended, but
 * the fuller the disk, the sooner it goes: at every disk check, sandboxes older than
 *
 *     gc_delay × max(0, 1 − gc_disk_headroom − disk_usage)
 *
 * are removed. With the default headroom of 0.1 an idle disk keeps them 0.9 × gc_delay; a disk
 * 90 % full keeps none. Pure.
 */

/** Mesos --gc_disk_headroom: the share of the disk GC tries to keep free. */
export const GC_DISK_HEADROOM = 0.1;

/** The age beyond which finished sandboxes are removed, at disk usage `usage` (0..1). */
export function maxSandboxAgeMs(gcDelayMs: number, usage: number, headroom = GC_DISK_HEADROOM): number {
  return gcDelayMs * Math.max(0, 1 - headroom - usage);
}

/** The paths scheduled at least `maxAgeMs` before `now`, oldest first. */
export function overdueSandboxes(scheduled: ReadonlyMap<string, number>, now: number, maxAgeMs: number): string[] {
  return [...scheduled]
    .filter(([, at]) => now - at >= maxAgeMs)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .map(([path]) => path);
}
