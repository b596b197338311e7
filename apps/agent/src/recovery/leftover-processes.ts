/**
 * Processes an earlier agent process started that nobody will look after: tasks of frameworks
 * that do not checkpoint when the agent ran with Node's spawn (agora-launcher kills those itself
 * when the agent goes), or everything under `--recover=cleanup`. They are found by the
 * environment every task gets (command-environment.ts): MESOS_AGENT_ID is this agent's id and
 * MESOS_DIRECTORY lies in this work dir. Only group leaders of the agent's own pid namespace are
 * taken (each process task is one; the processes of Docker containers, which carry the same
 * variables, are the docker driver's to find by label), and each is killed with its whole group.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface LeftoverQuery {
  /** Undefined: every agent's tasks under `workDir` (test teardowns, testing/kill-tasks.ts). */
  readonly agentId?: string;
  readonly workDir: string;
  /** Pids to spare (recovered tasks). */
  readonly keep: ReadonlySet<number>;
}

/** Whether a process's environment (NUL-separated, as in /proc/<pid>/environ) marks it as this agent's task. */
export function isTaskOf(environ: string, query: Pick<LeftoverQuery, 'agentId' | 'workDir'>): boolean {
  const vars = environ.split('\0');
  const agent = query.agentId === undefined ? vars.some((v) => v.startsWith('MESOS_AGENT_ID=')) : vars.includes(`MESOS_AGENT_ID=${query.agentId}`);
  const prefix = query.workDir.endsWith('/') ? query.workDir : `${query.workDir}/`;
  const directory = vars.some((v) => v.startsWith('MESOS_DIRECTORY=') && v.slice('MESOS_DIRECTORY='.length).startsWith(prefix));
  return agent && directory;
}

/** The group leaders left over; an unreadable /proc entry (gone, another user's) is skipped. */
export async function findLeftovers(query: LeftoverQuery): Promise<number[]> {
  const found: number[] = [];
  const namespace = await readlink('/proc/self/ns/pid').catch(() => undefined);
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || query.keep.has(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    // Field 5 (pgrp) is the third after the command name.
    const pgrp = stat === undefined ? NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    if (pgrp !== pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (!isTaskOf(environ, query)) continue;
    if (namespace !== undefined && (await readlink(`/proc/${pid}/ns/pid`).catch(() => undefined)) !== namespace) continue;
    found.push(pid);
  }
  return found;
}

/** SIGKILL to each group; one that is gone already is not an error. */
export function killGroups(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      if (pid > 0) process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
