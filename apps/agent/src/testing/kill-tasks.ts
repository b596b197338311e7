/**
 * For test teardowns: kills every task process (and executor) whose sandbox lies under
 * `workDir`, whatever agent started it. Tasks of checkpointing frameworks outlive an agent
 * process that stops or is killed (that is recovery's point), so a test that uses
 * `checkpoint: true` and does not end its agents with `shutdownAgent` calls this before it
 * removes the work dir. Answers how many process groups were killed.
 */
import { findLeftovers, killGroups } from '../recovery/leftover-processes';

export async function killTasksUnder(workDir: string): Promise<number> {
  const pids = await findLeftovers({ workDir, keep: new Set() });
  killGroups(pids);
  return pids.length;
}
