import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { OfferDecision } from '@agora/allocator';
import type { Offer } from '@agora/protocol';
import { type Resources, toV1, toV1Legacy } from '@agora/resources';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import type { AgentRecord, FrameworkRecord, OfferRecord } from '../cluster/records';
import { MasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';

/** Why an ACCEPT or DECLINE named offers that cannot be used (reference §1.9). */
export class InvalidOffersError extends Error {
  override readonly name = 'InvalidOffersError';
}

/**
 * Outstanding offers: made from the allocator's decisions (one Offer per agent × role, one
 * OFFERS event per framework per cycle), consumed by ACCEPT or DECLINE, or rescinded (agent
 * lost, framework failed over, offer timeout). Whatever an offer held goes back to the
 * allocator when the offer ends without being used.
 */
@Injectable()
export class OffersService implements OnModuleInit {
  private readonly logger = new Logger('offers');

  constructor(
    private readonly state: ClusterState,
    private readonly allocation: AllocationService,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    private readonly metrics: MasterMetrics,
    private readonly config: MasterConfig,
  ) {}

  onModuleInit(): void {
    this.allocation.onOffers((decisions) => this.makeOffers(decisions));
  }

  /** Turns a cycle's decisions into offers and sends them, one OFFERS event per framework. */
  makeOffers(decisions: readonly OfferDecision[]): void {
    const byFramework = new Map<FrameworkRecord, Offer[]>();
    for (const d of decisions) {
      const fw = this.state.frameworks.get(d.frameworkId);
      const agent = this.state.agents.get(d.agentId);
      if (fw === undefined || agent === undefined || !fw.active || fw.stream === undefined) {
        // It went away while the cycle ran: the resources are not its to hold.
        this.allocation.update((a) => a.recoverResources(d.frameworkId, d.agentId, d.resources));
        continue;
      }
      const offer: OfferRecord = {
        id: this.identity.nextOfferId(),
        frameworkId: fw.id,
        agentId: agent.id,
        role: d.role,
        resources: d.resources,
        createdAt: this.clock.now(),
      };
      if (this.config.offerTimeoutMs > 0) {
        offer.timer = this.clock.after(this.config.offerTimeoutMs, () => this.rescind(offer.id, 'offer timeout'));
      }
      this.state.offers.set(offer.id, offer);
      fw.offers.add(offer.id);
      fw.counters.offersSent++;
      this.metrics.increment('master/offers_sent');
      const list = byFramework.get(fw) ?? [];
      list.push(this.toOffer(offer, fw, agent));
      byFramework.set(fw, list);
    }
    for (const [fw, offers] of byFramework) fw.stream?.send({ type: 'OFFERS', offers: { offers } });
  }

  /** The Offer message (reference §1.8); resources in the framework's reservation format. */
  toOffer(offer: OfferRecord, fw: FrameworkRecord, agent: AgentRecord): Offer {
    const refinement = fw.capabilities.has('RESERVATION_REFINEMENT');
    return {
      id: { value: offer.id },
      framework_id: { value: fw.id },
      agent_id: { value: agent.id },
      hostname: agent.hostname,
      url: {
        scheme: 'http',
        address: { hostname: agent.hostname, ip: agent.ip, port: agent.port },
        path: '/slave(1)',
      },
      ...(agent.info.domain ? { domain: agent.info.domain } : {}),
      resources: refinement ? toV1(offer.resources) : toV1Legacy(offer.resources),
      attributes: agent.attributes,
      // The framework's executors already running there, so it can reuse them.
      executor_ids: [...this.state.executorsOf(fw.id, agent.id).keys()].map((value) => ({ value })),
      allocation_info: { role: offer.role },
    };
  }

  /**
   * Takes the offers an ACCEPT or DECLINE names out of circulation. All must be outstanding,
   * this framework's, on one agent, for one role, and named once; otherwise InvalidOffersError
   * is thrown after the valid ones were taken (their resources are the caller's to recover).
   */
  take(fw: FrameworkRecord, offerIds: readonly string[]): { offers: OfferRecord[]; error?: InvalidOffersError } {
    const offers: OfferRecord[] = [];
    let problem: string | undefined;
    const seen = new Set<string>();
    for (const id of offerIds) {
      if (seen.has(id)) {
        problem ??= `Duplicate offer ${id} in the list`;
        continue;
      }
      seen.add(id);
      const offer = this.state.offers.get(id);
      if (offer === undefined) {
        problem ??= `Offer ${id} is no longer valid`;
        continue;
      }
      if (offer.frameworkId !== fw.id) {
        problem ??= `Offer ${id} has invalid framework ${offer.frameworkId} while framework ${fw.id} is expected`;
        continue;
      }
      this.remove(offer);
      offers.push(offer);
    }
    if (offerIds.length === 0) problem ??= 'No offers specified';
    const agents = new Set(offers.map((o) => o.agentId));
    if (agents.size > 1) problem ??= `Aggregated offers must belong to one single agent, got ${[...agents].join(', ')}`;
    const roles = new Set(offers.map((o) => o.role));
    if (roles.size > 1) problem ??= `Aggregated offers must be allocated to the same role, got ${[...roles].join(', ')}`;
    if (problem !== undefined) this.metrics.increment('master/invalid_offers');
    return problem === undefined ? { offers } : { offers, error: new InvalidOffersError(problem) };
  }

  /** Ends an offer and gives its resources back; sends RESCIND to a connected framework. */
  rescind(offerId: string, why: string, options: { notify?: boolean } = {}): void {
    const offer = this.state.offers.get(offerId);
    if (offer === undefined) return;
    this.remove(offer);
    const fw = this.state.frameworks.get(offer.frameworkId);
    if (fw !== undefined) {
      fw.counters.offersRescinded++;
      if (options.notify !== false) fw.stream?.send({ type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
    }
    this.metrics.increment('master/offers_rescinded');
    this.allocation.update((a) => a.recoverResources(offer.frameworkId, offer.agentId, offer.resources));
    this.logger.debug(`rescinded offer ${offer.id}: ${why}`);
  }

  rescindAllOf(fw: FrameworkRecord, why: string, options: { notify?: boolean } = {}): void {
    for (const id of [...fw.offers]) this.rescind(id, why, options);
  }

  rescindOnAgent(agentId: string, why: string): void {
    for (const offer of [...this.state.offers.values()]) if (offer.agentId === agentId) this.rescind(offer.id, why);
  }

  rescindRole(fw: FrameworkRecord, role: string, why: string): void {
    for (const id of [...fw.offers]) if (this.state.offers.get(id)?.role === role) this.rescind(id, why);
  }

  /** What is outstanding on an agent, for /state. */
  offeredOn(agentId: string): Resources[] {
    return [...this.state.offers.values()].filter((o) => o.agentId === agentId).map((o) => o.resources);
  }

  private remove(offer: OfferRecord): void {
    offer.timer?.cancel();
    this.state.offers.delete(offer.id);
    this.state.frameworks.get(offer.frameworkId)?.offers.delete(offer.id);
  }
}
