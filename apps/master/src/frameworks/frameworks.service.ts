import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { FrameworkInfo, OfferConstraints, Subscribe, UpdateFramework } from '@agora/protocol';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterEvents } from '../cluster/cluster-events';
import { ClusterState } from '../cluster/cluster-state';
import type { EventSink } from '../cluster/event-sink';
import { MasterIdentity } from '../cluster/master-identity';
import { type FrameworkRecord, newCounters } from '../cluster/records';
import { MasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';
import { OffersService } from '../offers/offers.service';
import { RegistryService } from '../registry';
import { TasksService } from '../tasks/tasks.service';
import { capabilitiesOf, FrameworkInfoError, frameworkSpec, rolesOf, suppressedRolesOf } from './framework-spec';

/**
 * Frameworks' membership (reference §1.3, §6.1): subscribe, failover, disconnect, teardown and
 * UPDATE_FRAMEWORK. A scheduler that disconnects keeps its tasks for `failover_timeout`
 * seconds (default 0: torn down at once); a re-SUBSCRIBE with its id within that time takes
 * over, and the old stream, if still open, gets ERROR "Framework failed over".
 */
@Injectable()
export class FrameworksService implements OnModuleDestroy {
  private readonly logger = new Logger('frameworks');

  constructor(
    private readonly state: ClusterState,
    private readonly allocation: AllocationService,
    private readonly offers: OffersService,
    private readonly tasks: TasksService,
    private readonly registry: RegistryService,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    private readonly metrics: MasterMetrics,
    private readonly config: MasterConfig,
    private readonly events: ClusterEvents,
  ) {}

  private stopping = false;

  onModuleDestroy(): void {
    // Streams close as the server stops; their disconnects must not start new timers.
    this.stopping = true;
    for (const fw of this.state.frameworks.values()) {
      fw.failoverTimer?.cancel();
      fw.stream?.close();
    }
  }

  /**
   * SUBSCRIBE on a new stream. Resolves with the framework, or throws FrameworkInfoError whose
   * message the caller sends as the stream's ERROR event.
   */
  async subscribe(call: Subscribe, sink: EventSink): Promise<FrameworkRecord> {
    const info = call.framework_info;
    const roles = rolesOf(info);
    const suppressed = suppressedRolesOf(roles, call.suppressed_roles);
    const requestedId = info.id?.value || undefined;
    if (requestedId !== undefined && (this.state.removedFrameworkIds.has(requestedId) || (await this.registryRemoved(requestedId)))) {
      throw new FrameworkInfoError('Framework has been removed');
    }
    const existing = requestedId === undefined ? undefined : this.state.frameworks.get(requestedId);
    if (existing !== undefined) {
      this.checkImmutable(existing.info, info);
      return this.failover(existing, info, roles, suppressed, call.offer_constraints, sink);
    }
    const id = requestedId ?? this.identity.nextFrameworkId();
    const now = this.clock.now();
    const fw: FrameworkRecord = {
      id,
      info: { ...info, id: { value: id } },
      roles,
      capabilities: capabilitiesOf(info),
      suppressedRoles: suppressed,
      offerConstraints: call.offer_constraints,
      connected: true,
      recovered: false,
      active: true,
      stream: sink,
      registeredAt: now,
      reregisteredAt: requestedId === undefined ? undefined : now,
      tasks: new Map(),
      completedTasks: [],
      offers: new Set(),
      counters: newCounters(),
    };
    // Validates the offer constraints before anything is recorded.
    const spec = frameworkSpec(id, info, roles, suppressed, call.offer_constraints);
    // Durable before SUBSCRIBED: a leader that dies right after still leaves the framework (and its
    // failover timeout) to the next one (failover-timers.ts).
    await this.persist(fw);
    this.state.frameworks.set(id, fw);
    this.metrics.increment(requestedId === undefined ? 'master/messages_register_framework' : 'master/messages_reregister_framework');
    this.allocation.update((a) => a.addFramework(spec, true), true);
    this.events.emit({ type: 'FRAMEWORK_ADDED', framework: fw });
    this.logger.log(`framework ${id} (${info.name}) subscribed with roles ${roles.join(', ')}`);
    return fw;
  }

  private failover(
    fw: FrameworkRecord,
    info: FrameworkInfo,
    roles: string[],
    suppressed: Set<string>,
    constraints: OfferConstraints | undefined,
    sink: EventSink,
  ): FrameworkRecord {
    const spec = frameworkSpec(fw.id, info, roles, suppressed, constraints);
    fw.failoverTimer?.cancel();
    fw.failoverTimer = undefined;
    const old = fw.stream;
    fw.stream = undefined;
    old?.close({ type: 'ERROR', error: { message: 'Framework failed over' } });
    // Offers made to the old instance are rescinded and made again to the new one.
    this.offers.rescindAllOf(fw, 'framework failed over', { notify: false });
    this.apply(fw, info, roles, suppressed, constraints);
    fw.stream = sink;
    fw.connected = true;
    fw.recovered = false;
    fw.active = true;
    fw.reregisteredAt = this.clock.now();
    fw.unregisteredAt = undefined;
    this.metrics.increment('master/messages_reregister_framework');
    this.allocation.update((a) => {
      a.updateFramework(spec);
      a.activateFramework(fw.id);
    }, true);
    void this.persist(fw);
    this.events.emit({ type: 'FRAMEWORK_UPDATED', framework: fw });
    this.logger.log(`framework ${fw.id} (${info.name}) failed over`);
    return fw;
  }

  /** The scheduler's stream closed: offers go back, and the failover timer starts. */
  disconnected(fw: FrameworkRecord, sink: EventSink): void {
    if (fw.stream !== sink) return; // an older stream, already replaced
    if (this.stopping) return;
    fw.stream = undefined;
    fw.connected = false;
    fw.active = false;
    fw.unregisteredAt = this.clock.now();
    this.allocation.update((a) => a.deactivateFramework(fw.id));
    this.offers.rescindAllOf(fw, 'framework disconnected', { notify: false });
    const timeoutMs = Math.max(0, (fw.info.failover_timeout ?? 0) * 1000);
    this.events.emit({ type: 'FRAMEWORK_UPDATED', framework: fw });
    this.logger.log(`framework ${fw.id} disconnected; failover timeout ${timeoutMs / 1000} s`);
    if (timeoutMs === 0) {
      this.teardown(fw, 'failover timeout of 0 s');
      return;
    }
    fw.failoverTimer = this.clock.after(Math.min(timeoutMs, 2 ** 31 - 1), () => {
      if (!fw.connected) this.teardown(fw, 'failover timeout expired');
    });
  }

  /** TEARDOWN (or failover timeout): kill everything, free everything, retire the id. */
  teardown(fw: FrameworkRecord, why: string): void {
    if (!this.state.frameworks.has(fw.id)) return;
    this.logger.log(`tearing down framework ${fw.id}: ${why}`);
    this.metrics.increment('master/messages_unregister_framework');
    fw.failoverTimer?.cancel();
    fw.failoverTimer = undefined;
    this.offers.rescindAllOf(fw, 'framework removed', { notify: false });
    this.tasks.frameworkRemoved(fw);
    this.allocation.update((a) => a.removeFramework(fw.id));
    this.tasks.forgetExecutors({ frameworkId: fw.id });
    const stream = fw.stream;
    fw.stream = undefined;
    stream?.close();
    fw.connected = false;
    fw.active = false;
    fw.unregisteredAt ??= this.clock.now();
    this.state.frameworks.delete(fw.id);
    this.state.removedFrameworkIds.add(fw.id);
    this.state.completedFrameworks.push(fw);
    const overflow = this.state.completedFrameworks.length - this.config.maxCompletedFrameworks;
    if (overflow > 0) this.state.completedFrameworks.splice(0, overflow);
    this.events.emit({ type: 'FRAMEWORK_REMOVED', framework: fw });
    this.registry.markFrameworkRemoved(fw.id).catch((e: Error) => this.logger.warn(`registry: could not mark framework ${fw.id} removed: ${e.message}`));
  }

  /** UPDATE_FRAMEWORK: new roles, suppressed roles, constraints, capabilities; principal, user and checkpoint are fixed. */
  update(fw: FrameworkRecord, call: UpdateFramework): void {
    const info = call.framework_info;
    if (info.id?.value !== fw.id) throw new FrameworkInfoError(`'framework_info.id' (${info.id?.value ?? 'unset'}) does not match 'framework_id' (${fw.id})`);
    this.checkImmutable(fw.info, info);
    const roles = rolesOf(info);
    const suppressed = suppressedRolesOf(roles, call.suppressed_roles);
    const spec = frameworkSpec(fw.id, info, roles, suppressed, call.offer_constraints);
    for (const role of fw.roles) if (!roles.includes(role)) this.offers.rescindRole(fw, role, 'role removed');
    const revived = [...fw.suppressedRoles].filter((r) => !suppressed.has(r) && roles.includes(r));
    this.apply(fw, info, roles, suppressed, call.offer_constraints);
    this.allocation.update((a) => {
      a.updateFramework(spec);
      if (revived.length > 0) a.revive(fw.id, revived);
    });
    void this.persist(fw);
    this.events.emit({ type: 'FRAMEWORK_UPDATED', framework: fw });
  }

  suppress(fw: FrameworkRecord, roles: readonly string[]): void {
    this.metrics.increment('master/messages_suppress_offers');
    const target = roles.length === 0 ? fw.roles : roles.filter((r) => fw.roles.includes(r));
    for (const r of target) fw.suppressedRoles.add(r);
    this.allocation.update((a) => a.suppress(fw.id, target));
  }

  revive(fw: FrameworkRecord, roles: readonly string[]): void {
    this.metrics.increment('master/messages_revive_offers');
    const target = roles.length === 0 ? fw.roles : roles.filter((r) => fw.roles.includes(r));
    for (const r of target) fw.suppressedRoles.delete(r);
    this.allocation.update((a) => a.revive(fw.id, target), true);
  }

  private apply(fw: FrameworkRecord, info: FrameworkInfo, roles: string[], suppressed: Set<string>, constraints: OfferConstraints | undefined): void {
    fw.info = { ...info, id: { value: fw.id }, user: fw.info.user, checkpoint: fw.info.checkpoint };
    fw.roles = roles;
    fw.capabilities = capabilitiesOf(info);
    fw.suppressedRoles = suppressed;
    fw.offerConstraints = constraints;
  }

  /** The principal may not change (reference §1.3); user and checkpoint changes are ignored. */
  private checkImmutable(before: FrameworkInfo, after: FrameworkInfo): void {
    if ((before.principal ?? '') !== (after.principal ?? '')) {
      throw new FrameworkInfoError(`Changing framework's principal is not allowed (from '${before.principal ?? ''}' to '${after.principal ?? ''}')`);
    }
  }

  private async registryRemoved(id: string): Promise<boolean> {
    try {
      const all = await this.registry.listFrameworks({ includeRemoved: true });
      return all.some((f) => f.id === id && f.removedTime !== null);
    } catch (e) {
      this.logger.warn(`registry: could not check framework ${id}: ${(e as Error).message}`);
      return false;
    }
  }

  /** Records the framework in the registry; a failed write is logged, not fatal (the framework runs on). */
  private persist(fw: FrameworkRecord): Promise<void> {
    return this.registry
      .upsertFramework({
        id: fw.id,
        name: fw.info.name,
        principal: fw.info.principal ?? null,
        roles: fw.roles,
        failoverTimeoutSeconds: fw.info.failover_timeout ?? 0,
      })
      .then(
        () => undefined,
        (e: Error) => this.logger.warn(`registry: could not record framework ${fw.id}: ${e.message}`),
      );
  }
}
