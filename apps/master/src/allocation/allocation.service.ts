import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  Allocator,
  type AllocationResult,
  type AllocatorOptions,
  type CycleMetrics,
  type Explanation,
  type OfferDecision,
} from '@agora/allocator';
import { Clock, type TimerHandle } from '../clock/clock';
import { TimerWindow } from '../metrics/timer-window';

/** Receives the offers of each cycle; the offers module turns them into Mesos offers. */
export type OfferSink = (offers: readonly OfferDecision[]) => void;

/**
 * The master's one port to the allocator (DESIGN §6, STYLE §2). Every event goes through
 * `update`, which runs synchronously, so the allocator sees one event at a time in arrival order:
 * the event loop is the serialized queue. Cycles run every allocation interval and, coalesced,
 * soon after the events that call for one (agent added, framework added or activated, revive):
 * many such events in one turn of the event loop cause one cycle.
 *
 * It keeps the last cycle's explanations and metrics, which answer "why is my framework not
 * getting offers" and feed /metrics/snapshot.
 */
@Injectable()
export class AllocationService implements OnModuleDestroy {
  private readonly logger = new Logger(AllocationService.name);
  private readonly allocator: Allocator;
  private readonly sinks: OfferSink[] = [];
  private periodic: TimerHandle | undefined;
  private pending: TimerHandle | undefined;
  private last: AllocationResult | undefined;
  /** While it answers true, roles with quota guarantees get no offers (recovery after taking office). */
  private withholdGuaranteed: (() => boolean) | undefined;
  private cycles = 0;
  /** The allocator's own time per cycle (Mesos's `allocator/mesos/allocation_run_ms`). */
  readonly runTimes = new TimerWindow();
  /** Allocation plus handing its offers to the sinks: how long one cycle holds the event loop. */
  readonly cycleTimes = new TimerWindow();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    options: AllocatorOptions = {},
  ) {
    this.allocator = new Allocator({
      ...options,
      allocationIntervalMs: intervalMs,
      measure: () => clock.monotonic(),
    });
  }

  /** Starts the periodic cycle. */
  start(): void {
    this.periodic ??= this.clock.every(this.intervalMs, () => this.runCycle());
  }

  onModuleDestroy(): void {
    this.periodic?.cancel();
    this.pending?.cancel();
    this.periodic = this.pending = undefined;
  }

  /**
   * Withholds offers from roles with quota guarantees for as long as `recovering` answers true
   * (asked once per cycle; forgotten once it answers false). See CycleOptions.
   */
  withholdGuaranteedRolesWhile(recovering: () => boolean): void {
    this.withholdGuaranteed = recovering;
  }

  onOffers(sink: OfferSink): void {
    this.sinks.push(sink);
  }

  /**
   * Applies one event to the allocator. With `allocateSoon`, a cycle follows once the current
   * turn of the event loop is done (coalesced with any other such request).
   */
  update<T>(event: (allocator: Allocator) => T, allocateSoon = false): T {
    const result = event(this.allocator);
    if (allocateSoon) this.requestCycle();
    return result;
  }

  /** Reads allocator state without changing it (for the operator API). */
  read<T>(query: (allocator: Allocator) => T): T {
    return query(this.allocator);
  }

  requestCycle(): void {
    this.pending ??= this.clock.soon(() => {
      this.pending = undefined;
      this.runCycle();
    });
  }

  /** Why each framework × role got nothing in the last cycle. */
  explanations(frameworkId?: string): readonly Explanation[] {
    const all = this.last?.explanations ?? [];
    return frameworkId === undefined ? all : all.filter((e) => e.frameworkId === frameworkId);
  }

  lastMetrics(): CycleMetrics | undefined {
    return this.last?.metrics;
  }

  get cycleCount(): number {
    return this.cycles;
  }

  /** Runs one cycle now and hands its offers to the sinks. */
  runCycle(): AllocationResult {
    const startedAt = this.clock.monotonic();
    if (this.withholdGuaranteed !== undefined && !this.withholdGuaranteed()) this.withholdGuaranteed = undefined;
    const result = this.allocator.allocate(this.clock.now(), { withholdGuaranteedRoles: this.withholdGuaranteed !== undefined });
    this.last = result;
    this.cycles++;
    this.runTimes.record(result.metrics.durationMs);
    if (result.offers.length > 0) {
      for (const sink of this.sinks) {
        try {
          sink(result.offers);
        } catch (e) {
          // A failing consumer must not stop allocation; its offers are its to recover.
          this.logger.error(`offer sink failed: ${(e as Error).message}`);
        }
      }
    }
    this.cycleTimes.record(this.clock.monotonic() - startedAt);
    return result;
  }
}
