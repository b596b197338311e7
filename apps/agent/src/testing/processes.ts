import { readFileSync } from 'node:fs';

/**
 * Whether a process still runs. A zombie does not: once killed it only waits for its parent
 * (or init, for an orphaned child) to reap it, which some inits do lazily.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
