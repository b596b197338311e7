/**
 * Measures the machine for resource auto-detection (agent-resources.ts): CPU count, total
 * memory, and the size of the filesystem holding the work dir. The only I/O of this folder.
 */
import { statfs } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { MachineFacts } from './agent-resources';

const MB = 1024 * 1024;

/** The work dir must exist (bootstrap creates it first): statfs needs a real path. */
export async function probeMachine(workDir: string): Promise<MachineFacts> {
  const fs = await statfs(workDir);
  return {
    cpus: Math.max(1, cpus().length),
    memTotalMb: Math.floor(totalmem() / MB),
    diskTotalMb: Math.floor((fs.blocks * fs.bsize) / MB),
  };
}
