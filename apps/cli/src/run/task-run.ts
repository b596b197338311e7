/**
 * `agora run`: a one-task Mesos framework, like mesos-execute. It subscribes, takes the first
 * offer big enough for the task (declining the rest), launches one command task, acknowledges
 * every status update, follows the task's output from its sandbox, and when the task is over
 * tears the framework down and exits with the task's status (task-outcome.ts).
 *
 * The flow is driven by the master's event stream; three things can end it from outside —
 * the offer timeout, a silent master (missed heartbeats) and Ctrl+C — and all of them, like
 * the normal end, go through `finish()`, which tears down once and then closes the stream.
 */
import { randomBytes } from 'node:crypto';
import {
  type Call,
  type Event,
  isTerminalState,
  type Offer,
  type OfferID,
  type SubscribeCall,
  type TaskInfo,
  type TaskStatus,
} from '@agora/protocol';
import { UnreachableError } from '../http/http-client';
import { AgentFiles, agentBaseUrl, type SandboxFiles } from '../sandbox/agent-files';
import { SandboxTail } from '../sandbox/sandbox-tail';
import { subscribe, type Subscription } from '../scheduler-client/scheduler-connection';
import { offeredScalar, type TaskRequest, taskInfoFor } from './offer-match';
import { describeStatus, EXIT_FAILED, outcomeOf } from './task-outcome';

export const FRAMEWORK_NAME = 'agora-run';
/** What `agora run` exits with when Ctrl+C stops it before the task could report an end. */
export const EXIT_INTERRUPTED = 130;
/** Offers declined once the task is launched: this framework will never need them. */
const REFUSE_AFTER_LAUNCH_SECONDS = 3600;
/** Mesos's advice: consider the master gone after this many missed heartbeats. */
const MISSED_HEARTBEATS = 5;
const DEFAULT_HEARTBEAT_SECONDS = 15;

export interface RunSpec {
  /** Master base URL, e.g. http://127.0.0.1:5050. */
  readonly master: string;
  /** FrameworkInfo.user: whom the task runs as. */
  readonly user: string;
  readonly role: string;
  readonly task: TaskRequest;
  readonly timeoutSeconds: number;
  readonly verbose: boolean;
}

export interface RunIo {
  /** The task's stdout, as bytes. */
  writeOut(data: Uint8Array): void;
  /** The task's stderr, as bytes. */
  writeErr(data: Uint8Array): void;
  /** One line of the CLI's own (prefixed by the caller), on stderr. */
  log(line: string): void;
}

export interface RunDeps {
  readonly io: RunIo;
  /** Calls `handler` on each Ctrl+C (SIGINT) or SIGTERM; returns the function that stops that. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** The files API of the agent at a base URL (default: HTTP). */
  readonly filesFor?: (agentBase: string) => SandboxFiles;
  /** How often the sandbox is polled (default 200 ms). */
  readonly pollIntervalMs?: number;
}

/** `agora-run-` and 12 random hex digits: unique enough for a framework that has one task. */
export function newTaskId(): string {
  return `agora-run-${randomBytes(6).toString('hex')}`;
}

export function subscribeCall(spec: Pick<RunSpec, 'user' | 'role'>): SubscribeCall {
  return {
    type: 'SUBSCRIBE',
    subscribe: {
      framework_info: {
        user: spec.user,
        name: FRAMEWORK_NAME,
        roles: [spec.role],
        capabilities: [{ type: 'MULTI_ROLE' }],
        // 0: if this CLI dies, the master tears the framework (and its task) down at once.
        failover_timeout: 0,
      },
    },
  };
}

/** Runs the task to its end and resolves with the exit status for the CLI. */
export function runTask(spec: RunSpec, deps: RunDeps): Promise<number> {
  return new TaskRun(spec, deps).run();
}

interface Launched {
  readonly offer: Offer;
  readonly task: TaskInfo;
  /** The ACCEPT in flight; a KILL must not overtake it. */
  readonly accepted: Promise<void>;
  tail?: SandboxTail;
  /** A STARTING or RUNNING update arrived: the task has a sandbox worth reading. */
  started: boolean;
}

class TaskRun {
  private subscription: Subscription | undefined;
  private frameworkId: string | undefined;
  private launched: Launched | undefined;
  private offersSeen = 0;
  private interrupts = 0;
  private exitCode: number | undefined;
  private shutdown: Promise<void> | undefined;
  private offerTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  /** Aborted by Ctrl+C while the master has not answered SUBSCRIBE yet. */
  private readonly subscribing = new AbortController();

  constructor(
    private readonly spec: RunSpec,
    private readonly deps: RunDeps,
  ) {}

  async run(): Promise<number> {
    const stopListening = this.deps.onInterrupt(() => this.interrupt());
    try {
      return await this.subscribeAndFollow();
    } finally {
      stopListening();
      clearTimeout(this.offerTimer);
      clearTimeout(this.heartbeatTimer);
      this.launched?.tail?.stop();
    }
  }

  private async subscribeAndFollow(): Promise<number> {
    try {
      this.subscription = await subscribe(this.spec.master, subscribeCall(this.spec), { signal: this.subscribing.signal });
    } catch (error) {
      if (this.interrupts > 0) return EXIT_INTERRUPTED;
      this.deps.io.log(
        error instanceof UnreachableError
          ? `cannot reach the master at ${this.spec.master} (${error.reason}); is it running?`
          : `cannot subscribe to the master at ${this.spec.master}: ${messageOf(error)}`,
      );
      return EXIT_FAILED;
    }
    this.verbose(`subscribed (stream ${this.subscription.streamId})`);
    this.offerTimer = setTimeout(() => this.offerTimedOut(), this.spec.timeoutSeconds * 1000);
    this.watchHeartbeats();

    try {
      for await (const event of this.subscription.events()) {
        this.watchHeartbeats();
        await this.handle(event);
        // Tear down while still subscribed; closing the stream then ends this loop.
        if (this.exitCode !== undefined) await this.finish(this.exitCode);
      }
      if (this.exitCode === undefined && this.interrupts === 0) {
        const last = this.launched === undefined ? '' : ' before the task ended';
        this.fail(`the master closed the event stream${last}`);
      }
    } catch (error) {
      if (this.interrupts === 0) this.fail(`lost the master's event stream: ${messageOf(error)}`);
    }
    // A Ctrl+C that raced the subscription's answer aborted the stream itself.
    if (this.interrupts > 0) this.exitCode ??= EXIT_INTERRUPTED;
    await this.finish(this.exitCode ?? EXIT_FAILED);
    return this.exitCode ?? EXIT_FAILED;
  }

  private async handle(event: Event): Promise<void> {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.frameworkId = event.subscribed.framework_id.value;
        this.heartbeatSeconds = event.subscribed.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_SECONDS;
        this.watchHeartbeats();
        this.verbose(`registered as framework ${this.frameworkId}`);
        return;
      case 'OFFERS':
        return this.onOffers(event.offers.offers);
      case 'UPDATE':
        return this.onUpdate(event.update.status);
      case 'ERROR':
        this.fail(`the master reported an error: ${event.error.message}`);
        return;
      default:
        // HEARTBEAT only resets the watchdog; RESCIND and FAILURE about our task are followed by
        // an UPDATE, which is what ends the run.
        return;
    }
  }

  private async onOffers(offers: Offer[]): Promise<void> {
    const declined: OfferID[] = [];
    for (const offer of offers) {
      this.offersSeen++;
      if (this.launched === undefined && this.exitCode === undefined && this.interrupts === 0) {
        const task = taskInfoFor(offer, this.spec.task);
        if (task !== undefined) {
          this.launch(offer, task);
          continue;
        }
        this.verbose(
          `declining offer ${offer.id.value} from ${offer.hostname}: ` +
            `${offeredScalar(offer, 'cpus')} cpus, ${offeredScalar(offer, 'mem')} MB is too small`,
        );
      }
      declined.push(offer.id);
    }
    if (declined.length === 0) return;
    const filters = this.launched === undefined ? {} : { filters: { refuse_seconds: REFUSE_AFTER_LAUNCH_SECONDS } };
    await this.send({ type: 'DECLINE', framework_id: this.framework(), decline: { offer_ids: declined, ...filters } }, false);
  }

  private launch(offer: Offer, task: TaskInfo): void {
    clearTimeout(this.offerTimer);
    this.verbose(`launching task ${task.task_id.value} on ${offer.hostname} (agent ${offer.agent_id.value})`);
    const accepted = this.send({
      type: 'ACCEPT',
      framework_id: this.framework(),
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] },
    });
    this.launched = { offer, task, accepted, started: false };
    const agentBase = agentBaseUrl(offer);
    if (agentBase === undefined) {
      this.deps.io.log(`the offer does not say where agent ${offer.agent_id.value} listens; the task's output cannot be shown`);
      return;
    }
    this.launched.tail = new SandboxTail({
      files: (this.deps.filesFor ?? ((base) => new AgentFiles(base)))(agentBase),
      frameworkId: this.framework().value,
      executorId: task.task_id.value, // a command task's executor has the task's id
      stdout: (data) => this.deps.io.writeOut(data),
      stderr: (data) => this.deps.io.writeErr(data),
      intervalMs: this.deps.pollIntervalMs,
    });
  }

  private async onUpdate(status: TaskStatus): Promise<void> {
    const launched = this.launched;
    if (status.uuid !== undefined) {
      const agentId = status.agent_id ?? launched?.offer.agent_id;
      if (agentId !== undefined) {
        await this.send(
          { type: 'ACKNOWLEDGE', framework_id: this.framework(), acknowledge: { agent_id: agentId, task_id: status.task_id, uuid: status.uuid } },
          false,
        );
      }
    }
    if (launched === undefined || status.task_id.value !== launched.task.task_id.value) return;
    this.verbose(`task ${status.task_id.value} is ${describeStatus(status)}`);
    if (status.state === 'TASK_STARTING' || status.state === 'TASK_RUNNING') {
      launched.started = true;
      launched.tail?.start();
    }
    if (!isTerminalState(status.state)) return;

    // Draining a big output may outlast five heartbeats we are not reading meanwhile.
    clearTimeout(this.heartbeatTimer);
    if (launched.started || ranOnAgent(status)) {
      try {
        await launched.tail?.finish();
      } catch (error) {
        this.deps.io.log(`the task's output may be incomplete: ${messageOf(error)}`);
      }
    }
    const outcome = outcomeOf(status);
    if (outcome.report !== undefined) this.deps.io.log(`task ${status.task_id.value} ${outcome.report}`);
    this.exitCode ??= outcome.exitCode;
  }

  /** Ctrl+C: kill the task and wait for its end; a second Ctrl+C stops waiting. */
  private interrupt(): void {
    this.interrupts++;
    if (this.subscription === undefined) {
      this.deps.io.log('interrupted while subscribing');
      this.subscribing.abort();
      return;
    }
    const launched = this.launched;
    if (this.interrupts > 1 || launched === undefined) {
      this.deps.io.log(launched === undefined ? 'interrupted before the task was launched' : 'interrupted again; tearing down without waiting');
      void this.finish(EXIT_INTERRUPTED);
      return;
    }
    this.deps.io.log(`interrupted; killing task ${launched.task.task_id.value} (Ctrl+C again to stop waiting)`);
    void (async () => {
      await launched.accepted.catch(() => undefined);
      await this.send({ type: 'KILL', framework_id: this.framework(), kill: { task_id: launched.task.task_id, agent_id: launched.offer.agent_id } });
    })();
  }

  private offerTimedOut(): void {
    if (this.launched !== undefined || this.exitCode !== undefined) return;
    const need = `${this.spec.task.cpus} cpus and ${this.spec.task.mem} MB of memory for role '${this.spec.role}'`;
    const seen = this.offersSeen === 0 ? 'no offers arrived' : `${this.offersSeen} offers arrived, all too small`;
    this.fail(`no offer with ${need} within ${this.spec.timeoutSeconds} s (${seen}); is an agent with enough free resources registered?`);
    void this.finish(EXIT_FAILED);
  }

  /** Resets the watchdog that gives up on a master which stopped sending even heartbeats. */
  private watchHeartbeats(): void {
    clearTimeout(this.heartbeatTimer);
    if (this.exitCode !== undefined) return;
    const limitSeconds = this.heartbeatSeconds * MISSED_HEARTBEATS;
    this.heartbeatTimer = setTimeout(() => {
      this.fail(`nothing from the master for ${limitSeconds} s (not even a heartbeat); giving up`);
      void this.finish(EXIT_FAILED);
    }, limitSeconds * 1000);
  }

  /**
   * Ends the run once: TEARDOWN (which also kills the task if it still runs), then closes the
   * stream, which ends the event loop. Teardown is best effort — with failover_timeout 0 the
   * master removes the framework anyway when the stream closes.
   */
  private finish(exitCode: number): Promise<void> {
    this.exitCode ??= exitCode;
    clearTimeout(this.offerTimer);
    clearTimeout(this.heartbeatTimer);
    this.shutdown ??= (async () => {
      const subscription = this.subscription;
      if (subscription === undefined) return;
      if (this.frameworkId !== undefined) {
        try {
          await subscription.send({ type: 'TEARDOWN', framework_id: { value: this.frameworkId } });
          this.verbose(`framework ${this.frameworkId} torn down`);
        } catch (error) {
          this.verbose(`teardown failed: ${messageOf(error)}`);
        }
      }
      subscription.close();
    })();
    return this.shutdown;
  }

  /** Records a failure (the first one decides the exit status) and says why. */
  private fail(message: string): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = EXIT_FAILED;
    this.deps.io.log(message);
  }

  /**
   * Sends a call. A refusal of a call the run depends on (ACCEPT, KILL) ends the run; one the
   * master can do without (DECLINE, ACKNOWLEDGE — unacknowledged updates are re-sent) is only
   * reported.
   */
  private async send(call: Call, fatal = true): Promise<void> {
    const subscription = this.subscription;
    if (subscription === undefined) return;
    try {
      await subscription.send(call);
    } catch (error) {
      if (this.shutdown !== undefined) return; // the stream is closing; nothing left to say
      if (!fatal) {
        this.deps.io.log(`warning: ${messageOf(error)}`);
        return;
      }
      this.fail(messageOf(error));
      await this.finish(EXIT_FAILED);
    }
  }

  private framework(): { value: string } {
    if (this.frameworkId === undefined) throw new Error('no SUBSCRIBED event yet');
    return { value: this.frameworkId };
  }

  private verbose(line: string): void {
    if (this.spec.verbose) this.deps.io.log(line);
  }
}

/**
 * Whether a terminal status without an earlier STARTING/RUNNING still comes from a task that got
 * as far as its sandbox (a command that ended before its first update was sent). Tasks refused
 * by the master, lost, or killed before launch never had one, and waiting for it would only
 * delay the exit.
 */
function ranOnAgent(status: TaskStatus): boolean {
  if (status.source === 'SOURCE_MASTER') return false;
  if (status.state === 'TASK_KILLED') return status.reason !== 'REASON_TASK_KILLED_DURING_LAUNCH';
  return status.state === 'TASK_FINISHED' || status.state === 'TASK_FAILED';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

