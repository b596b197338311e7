/**
 * One fault scenario from start to report: a fresh cluster, the workload scheduler running
 * steadily, the fault, then recovery and the checks of the issue (every task accounted for, no
 * redelivered acknowledged update, no task run twice, resources adding up, new work accepted).
 * Whatever happens, the result is written for the report and every process is stopped; a failed
 * check throws with the tails of the logs that matter.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type PrivatePostgres } from '../../support/private-postgres';
import { accountTasks, type ExplainState, ledgerProblems, redeliveryProblems, resourceProblems } from './checks';
import { FaultCluster, until } from './fault-cluster';
import { ProcessSet } from './processes';
import { FAULTS_OUT, writeResult } from './report';
import { TaskBook } from './task-book';
import { TaskLedger } from './task-ledger';
import { WorkloadScheduler } from './workload-scheduler';

export interface ScenarioContext {
  readonly cluster: FaultCluster;
  readonly postgres: PrivatePostgres;
  readonly book: TaskBook;
  readonly ledger: TaskLedger;
  /** The current scheduler (a failover replaces it through `replaceScheduler`). */
  scheduler: WorkloadScheduler;
  /** A new scheduler instance on the same book (same framework id), subscribed. */
  replaceScheduler(): Promise<WorkloadScheduler>;
  /** Problems the fault itself found (e.g. two leaders at once); they fail the scenario. */
  readonly problems: string[];
  /** Marks the moment the fault took effect (the process is gone, the link is down); defaults to when `inject` is called. */
  faultInjected(): void;
  /** Marks the fault as over (for the redelivery rule); defaults to when `inject` returns. */
  faultOver(): void;
}

export interface ScenarioSpec {
  readonly name: string;
  readonly masters: number;
  readonly agents?: number;
  /** Injects the fault; resolves once it is over (healed, restarted …). */
  inject(ctx: ScenarioContext): Promise<void>;
  /** Final states this scenario explains beyond the normal ones. */
  explain?: ExplainState;
  /** Checks of its own after the common ones. */
  verify?(ctx: ScenarioContext): Promise<string[]> | string[];
}

const WARM_UP_MS = 3000;
const STEADY_AFTER_MS = 2000;

/** AGORA_FAULTS_MASTERS overrides the number of masters (1 to debug the harness without HA). */
function masterCount(wanted: number): number {
  const forced = Number(process.env.AGORA_FAULTS_MASTERS);
  return Number.isInteger(forced) && forced > 0 ? forced : wanted;
}

export async function runScenario(spec: ScenarioSpec, postgres: PrivatePostgres): Promise<void> {
  const dir = join(FAULTS_OUT, spec.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  let cluster: FaultCluster | undefined;
  let scheduler: WorkloadScheduler | undefined;
  let ledger: TaskLedger | undefined;
  const book = new TaskBook();
  let recoverMs: number | null = null;
  let launched = 0;
  let lost = 0;
  let duplicateRuns = 0;
  let instances = 0;
  let accounted = false;
  try {
    ledger = new TaskLedger(dir);
    cluster = await FaultCluster.start({ scenario: spec.name, dir, postgres, masters: masterCount(spec.masters), agents: spec.agents ?? 3 });
    const c = cluster;
    const l = ledger;
    const newScheduler = (): WorkloadScheduler =>
      new WorkloadScheduler({
        masters: () => c.masterUrls(),
        ledger: l,
        book,
        name: spec.name,
        shortPerSecond: 3,
        longTasks: 6,
        failoverTimeoutSeconds: 60,
        logFile: join(dir, `scheduler-${++instances}.log`),
      });
    scheduler = newScheduler();
    await scheduler.start();
    // Warm up: the long tasks running and short ones coming and going.
    await book.waitFor('6 long tasks running', () => [...book.tasks.values()].filter((t) => t.kind === 'long' && t.latest === 'TASK_RUNNING').length >= 6, 30_000);
    await sleep(WARM_UP_MS);

    let faultAt = Date.now();
    let faultEnd: number | undefined;
    const ctx: ScenarioContext = {
      cluster: c,
      postgres,
      book,
      ledger: l,
      scheduler,
      problems,
      replaceScheduler: async () => {
        const next = newScheduler();
        await next.start(60_000);
        scheduler = next;
        ctx.scheduler = next;
        return next;
      },
      faultInjected: () => (faultAt = Date.now()),
      faultOver: () => (faultEnd = Date.now()),
    };
    await spec.inject(ctx);
    faultEnd ??= Date.now();

    // Recovered: a task launched after the fault reached RUNNING.
    await book.waitFor('a task launched after the fault RUNNING', () => firstRunningAfter(book, faultAt) !== undefined, 90_000);
    recoverMs = (firstRunningAfter(book, faultAt) as number) - faultAt;
    await sleep(STEADY_AFTER_MS);

    // Quiesce: no new work, every task settles (short ones finish), reconciled now and then.
    const s = (): WorkloadScheduler => ctx.scheduler;
    s().setLaunching(false);
    const settled = (): boolean => accountTasks(book.tasks.values(), l.read(), spec.explain).lost.length === 0;
    await until('every task accounted for', 30_000, async () => {
      if (settled()) return true;
      await s().reconcile();
      await sleep(1000);
      return settled() ? true : undefined;
    }).catch(() => undefined);

    // New work is accepted.
    const probe = s().launchProbe();
    await book.waitFor(`probe task ${probe} RUNNING`, () => book.tasks.get(probe)?.latest === 'TASK_RUNNING', 30_000).catch((e: Error) => problems.push(e.message));

    const ledgerSummary = l.read();
    const accounting = accountTasks(book.tasks.values(), ledgerSummary, spec.explain);
    accounted = true;
    launched = accounting.launched;
    lost = accounting.lost.length;
    duplicateRuns = ledgerSummary.duplicateRuns;
    problems.push(...accounting.problems, ...ledgerProblems(ledgerSummary));
    problems.push(...redeliveryProblems(book.redeliveries, [[faultAt - 1000, faultEnd + 5000]]));
    if (book.frameworkIds.size > 1) problems.push(`the framework re-subscribed under new ids: ${[...book.frameworkIds].join(', ')}`);
    // /state may trail the last updates by a moment: the last answer counts.
    let resources: string[] = [];
    await until('resources in /state adding up', 10_000, async () => {
      resources = resourceProblems(await c.state());
      return resources.length === 0 ? true : undefined;
    }).catch(() => undefined);
    problems.push(...resources.map((p) => `/state: ${p}`));
    if (spec.verify) problems.push(...(await spec.verify(ctx)));
  } catch (e) {
    problems.push(`aborted: ${(e as Error).message}`);
    if (!accounted && ledger !== undefined) {
      // The figures of an aborted scenario still go into the report.
      const summary = ledger.read();
      const accounting = accountTasks(book.tasks.values(), summary, spec.explain);
      launched = accounting.launched;
      lost = accounting.lost.length;
      duplicateRuns = summary.duplicateRuns;
      problems.push(...accounting.problems.slice(0, 10), ...ledgerProblems(summary));
    }
  } finally {
    await scheduler?.crash().catch(() => undefined);
    const restarts = cluster?.masterRestarts() ?? { restarts: 0, selfExits: 0 };
    await cluster?.stop();
    // Tasks outlive a killed agent (their own sessions); none may outlive the scenario.
    for (const pid of ledger?.unfinishedPids() ?? []) killTask(pid, dir);
    writeResult(dir, {
      scenario: spec.name,
      passed: problems.length === 0,
      launched,
      lost,
      duplicateRuns,
      recoverMs,
      masterRestarts: restarts.restarts,
      masterSelfExits: restarts.selfExits,
      problems,
    });
  }
  if (problems.length > 0) {
    const logs = (cluster?.procs.list() ?? []).map((p) => `--- ${p.name} (${p.logFile})\n${ProcessSet.tail(p, 15)}`).join('\n');
    throw new Error(`${spec.name}: ${problems.length} problems:\n- ${problems.slice(0, 20).join('\n- ')}\n\nlogs:\n${logs}`);
  }
}

/** When the first task ACCEPTed after `at` reached RUNNING. */
function firstRunningAfter(book: TaskBook, at: number): number | undefined {
  let first: number | undefined;
  for (const task of book.tasks.values()) {
    if (task.launchedAt >= at && task.firstRunningAt !== undefined && (first === undefined || task.firstRunningAt < first)) first = task.firstRunningAt;
  }
  return first;
}

/** Kills the process group of a task still running, if `pid` is still that task (pids are reused). */
function killTask(pid: number, dir: string): void {
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(join(dir, 'task.sh'))) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
