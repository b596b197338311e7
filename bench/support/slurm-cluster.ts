/**
 * A one-node Slurm cluster of the benchmark's own: Debian's slurm-wlm (installed with apt-get
 * when missing), a slurm.conf written into a temporary directory and tuned as Slurm's
 * high-throughput guide advises (no accounting, no job completion log, `batch_sched_delay=0`,
 * a deep queue, up to 8 jobs per CPU), and slurmctld and slurmd running in the
 * foreground (`-D`) as children of this process, stopped by PID.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/free-port';

export interface SlurmCluster {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  /** Runs a Slurm client command (sbatch, squeue, …) against this cluster; answers its stdout. */
  run(command: string, args: readonly string[]): string;
  stop(): Promise<void>;
}

export const JOBS_PER_CPU = 8;

/** Installs slurm-wlm with apt-get when slurmctld is not on this machine. */
export function ensureSlurmInstalled(): void {
  if (spawnSync('sh', ['-c', 'command -v slurmctld && command -v slurmd && command -v sbatch'], { stdio: 'ignore' }).status === 0) return;
  console.log('slurm: slurm-wlm is missing; installing it with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'slurm-wlm'], { stdio: 'inherit', env });
}

function slurmConf(dir: string, host: string, ctldPort: number, slurmdPort: number): string {
  const cpuCount = cpus().length;
  const memoryMb = Math.floor((totalmem() / 1024 / 1024) * 0.9);
  return [
    'ClusterName=agorabench',
    `SlurmctldHost=${host}(127.0.0.1)`,
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${slurmdPort}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    // The only node is this machine; without munge (the build ships auth/none and cred/none).
    'AuthType=auth/none',
    'CredType=cred/none',
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    `SlurmdLogFile=${dir}/slurmd.log`,
    'SlurmctldDebug=error',
    'SlurmdDebug=error',
    // High throughput (Slurm's guide): no accounting, no completion log, no process tracking
    // beyond /proc, no task binding, scheduling at once after every submission and completion.
    'AccountingStorageType=accounting_storage/none',
    'JobAcctGatherType=jobacct_gather/none',
    'JobCompType=jobcomp/none',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SwitchType=switch/none',
    'MpiDefault=none',
    'SchedulerType=sched/builtin',
    'SchedulerParameters=batch_sched_delay=0,default_queue_depth=10000,max_rpc_cnt=400',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'MessageTimeout=30',
    'MailProg=/bin/true',
    'MinJobAge=2',
    'MaxJobCount=200000',
    'MaxArraySize=100001',
    'ReturnToService=2',
    'SlurmdTimeout=300',
    'InactiveLimit=0',
    'KillWait=5',
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpuCount} RealMemory=${memoryMb} State=UNKNOWN`,
    `PartitionName=bench Nodes=${host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:${JOBS_PER_CPU}`,
    '',
  ].join('\n');
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts slurmctld and slurmd and waits until the node is idle. */
export async function startSlurm(): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'agora-slurm-'));
  mkdirSync(join(dir, 'state'));
  mkdirSync(join(dir, 'spool'));
  const host = hostname().split('.')[0] ?? 'localhost';
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf(dir, host, await freePort(), await freePort()));
  const env = { ...process.env, SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const daemon = (file: string, args: string[]): ChildProcess => {
    const child = spawn(file, args, { env, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const run = (command: string, args: readonly string[]): string => execFileSync(command, [...args], { env, encoding: 'utf8' });
  const stop = async (keepLogs = false): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
      await waitForExit(child, 10000);
    }
    if (!keepLogs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const version = run('sinfo', ['--version']).trim();
    daemon('slurmctld', ['-D', '-i', '-f', conf]);
    await until(() => spawnSync('scontrol', ['ping'], { env, encoding: 'utf8' }).stdout.includes('UP'), 30000, 'slurmctld answers');
    daemon('slurmd', ['-D', '-f', conf, '-N', host]);
    await until(() => /idle/.test(spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout), 30000, 'the node is idle');
    return { dir, env, version, run, stop: () => stop() };
  } catch (e) {
    await stop(true);
    throw new Error(`${(e as Error).message} (logs: slurmctld.log and slurmd.log in ${dir})`, { cause: e });
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`slurm: ${what} not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
