import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import { Clock } from '../clock/clock';
import { AgentEntity } from './entities/agent.entity';
import { FrameworkEntity } from './entities/framework.entity';
import { RegistryEpochEntity } from './entities/registry-epoch.entity';
import { RoleQuotaEntity } from './entities/role-quota.entity';
import { RoleWeightEntity } from './entities/role-weight.entity';
import {
  AgentGoneError,
  FrameworkRemovedError,
  UnknownAgentError,
  UnknownFrameworkError,
} from './registry.errors';
import {
  AgentAdmission,
  AgentMaintenanceRecord,
  AgentRecord,
  FrameworkRecord,
  FrameworkRegistration,
  RoleQuota,
  RoleWeight,
} from './registry.records';

/**
 * The durable registry (DESIGN §4): which agents were admitted and what became of them, which
 * frameworks exist, and the weights and quotas operators gave roles. Only membership changes come here, never per-task traffic. Each
 * method is one transaction that reads the row it changes `FOR UPDATE`, so concurrent masters
 * (or calls) cannot interleave a read and a write. Everything returned is a plain record.
 */
@Injectable()
export class RegistryService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts a leader's term: increments the epoch and records the leader's address. Every message
   * the master sends to agents carries the returned epoch (fencing, DESIGN §3.4).
   */
  beginTerm(leader: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const row = await tx.findOneOrFail(RegistryEpochEntity, { where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
      const epoch = Number(row.epoch) + 1;
      await tx.update(RegistryEpochEntity, { id: 1 }, { epoch: String(epoch), leader, electedTime: this.now() });
      return epoch;
    });
  }

  /** The leader the registry names (`host:port`), or null before the first election. */
  async currentLeader(): Promise<{ epoch: number; leader: string | null }> {
    const row = await this.db.getRepository(RegistryEpochEntity).findOneByOrFail({ id: 1 });
    return { epoch: Number(row.epoch), leader: row.leader };
  }

  /**
   * Admits an agent that registers or re-registers: a new id is inserted, a known one is
   * updated and becomes `admitted` again, an operator's maintenance (deactivated, drain) kept.
   * Throws AgentGoneError for an agent marked gone. One upsert statement (admitAgents), so two
   * concurrent admissions of one new id cannot both take the insert path.
   */
  async admitAgent(agent: AgentAdmission): Promise<AgentRecord> {
    const answer = (await this.admitAgents([agent])).get(agent.id) ?? new AgentGoneError(agent.id);
    if (answer instanceof AgentGoneError) throw answer;
    return answer;
  }

  /**
   * Admits many agents in one statement, as admitAgent does each (a new id is inserted, a known
   * one updated and `admitted` again, its first registration time kept). After a failover
   * thousands of agents re-register within a second; one transaction each would make the
   * registry, not the master, the bound on recovery. The answer has a record for every admitted
   * id and an AgentGoneError for every id marked gone. Ids must be distinct (an upsert cannot
   * touch one row twice).
   */
  async admitAgents(agents: readonly AgentAdmission[]): Promise<Map<string, AgentRecord | AgentGoneError>> {
    const answers = new Map<string, AgentRecord | AgentGoneError>();
    if (agents.length === 0) return answers;
    const rows = (await this.db.query(ADMIT_AGENTS_SQL, [
      JSON.stringify(agents.map((a) => ({ id: a.id, hostname: a.hostname, port: a.port, resources: a.resources, attributes: a.attributes }))),
      this.now(),
    ])) as AgentRow[];
    for (const row of rows) answers.set(row.id, fromAgentRow(row));
    // The upsert skips gone rows, so an id without a row is gone.
    for (const a of agents) if (!answers.has(a.id)) answers.set(a.id, new AgentGoneError(a.id));
    return answers;
  }

  /**
   * Marks an agent unreachable (missed pings). Idempotent: the first unreachable time is kept.
   * Throws UnknownAgentError, or AgentGoneError for a gone agent.
   */
  markAgentUnreachable(agentId: string): Promise<AgentRecord> {
    return this.db.transaction(async (tx) => {
      const agent = await lockAgent(tx, agentId);
      if (!agent) throw new UnknownAgentError(agentId);
      if (agent.state === 'gone') throw new AgentGoneError(agentId);
      if (agent.state === 'admitted') {
        agent.state = 'unreachable';
        agent.unreachableTime = this.now();
        await tx.save(agent);
      }
      return toAgentRecord(agent);
    });
  }

  /** Marks an agent gone for good (an operator's decision). Idempotent; throws UnknownAgentError. */
  markAgentGone(agentId: string): Promise<AgentRecord> {
    return this.db.transaction(async (tx) => {
      const agent = await lockAgent(tx, agentId);
      if (!agent) throw new UnknownAgentError(agentId);
      if (agent.state !== 'gone') {
        agent.state = 'gone';
        await tx.save(agent);
      }
      return toAgentRecord(agent);
    });
  }

  /**
   * Changes an agent's maintenance (DEACTIVATE_AGENT, DRAIN_AGENT, REACTIVATE_AGENT, a drain's
   * end): `change` gets the current one under the row lock and returns the new one, or throws
   * to refuse. For an admitted or unreachable agent; throws UnknownAgentError, or
   * AgentGoneError for a gone agent.
   */
  updateAgentMaintenance(agentId: string, change: (current: AgentMaintenanceRecord) => AgentMaintenanceRecord): Promise<AgentRecord> {
    return this.db.transaction(async (tx) => {
      const agent = await lockAgent(tx, agentId);
      if (!agent) throw new UnknownAgentError(agentId);
      if (agent.state === 'gone') throw new AgentGoneError(agentId);
      const next = change({ deactivated: agent.deactivated, drainInfo: agent.drainInfo });
      agent.deactivated = next.deactivated;
      agent.drainInfo = next.drainInfo;
      return toAgentRecord(await tx.save(agent));
    });
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  /** Every agent the registry knows, in every state, ordered by id. */
  async listAgents(): Promise<AgentRecord[]> {
    const rows = await this.db.getRepository(AgentEntity).find({ order: { id: 'ASC' } });
    return rows.map(toAgentRecord);
  }

  /**
   * Records a framework when it first subscribes, or updates its name, principal, roles and
   * failover timeout when it re-subscribes or is updated. The registered time is kept. Throws
   * FrameworkRemovedError for a removed framework's id.
   */
  upsertFramework(framework: FrameworkRegistration): Promise<FrameworkRecord> {
    return retryInsertRace(() => this.db.transaction(async (tx) => {
      const existing = await lockFramework(tx, framework.id);
      if (existing?.removedTime) throw new FrameworkRemovedError(framework.id);
      const row = tx.create(FrameworkEntity, {
        id: framework.id,
        name: framework.name,
        principal: framework.principal,
        roles: [...framework.roles],
        failoverTimeoutSeconds: framework.failoverTimeoutSeconds,
        registeredTime: existing?.registeredTime ?? this.now(),
        removedTime: null,
      });
      return toFrameworkRecord(await tx.save(row));
    }));
  }

  /** Marks a framework removed (torn down). Idempotent; throws UnknownFrameworkError. */
  markFrameworkRemoved(frameworkId: string): Promise<FrameworkRecord> {
    return this.db.transaction(async (tx) => {
      const framework = await lockFramework(tx, frameworkId);
      if (!framework) throw new UnknownFrameworkError(frameworkId);
      if (!framework.removedTime) {
        framework.removedTime = this.now();
        await tx.save(framework);
      }
      return toFrameworkRecord(framework);
    });
  }

  /** Frameworks ordered by id; removed ones only when asked for. */
  async listFrameworks(options: { includeRemoved?: boolean } = {}): Promise<FrameworkRecord[]> {
    const query = this.db.getRepository(FrameworkEntity).createQueryBuilder('f').orderBy('f.id', 'ASC');
    if (!options.includeRemoved) query.where('f.removed_time IS NULL');
    return (await query.getMany()).map(toFrameworkRecord);
  }

  // ---- roles: weights and quotas -----------------------------------------------------------

  /**
   * Sets roles' weights in one transaction (UPDATE_WEIGHTS is all or nothing). A role named
   * twice takes its last weight. The caller validates roles and weights; the table refuses a
   * weight that is not positive and finite.
   */
  async setWeights(weights: readonly RoleWeight[]): Promise<void> {
    const byRole = new Map(weights.map((w) => [w.role, w.weight]));
    if (byRole.size === 0) return;
    const now = this.now();
    await this.db.transaction((tx) =>
      tx.upsert(RoleWeightEntity, [...byRole].map(([role, weight]) => ({ role, weight, updatedTime: now })), ['role']),
    );
  }

  /** Every weight set, ordered by role. */
  async listWeights(): Promise<RoleWeight[]> {
    const rows = await this.db.getRepository(RoleWeightEntity).find({ order: { role: 'ASC' } });
    return rows.map((row) => ({ role: row.role, weight: row.weight }));
  }

  /**
   * Sets roles' quotas in one transaction (UPDATE_QUOTA is all or nothing). A quota with no
   * guarantees and no limits is the default, so its row is removed; a role named twice takes its
   * last quota.
   */
  async setQuotas(quotas: readonly RoleQuota[]): Promise<void> {
    const byRole = new Map(quotas.map((q) => [q.role, q]));
    if (byRole.size === 0) return;
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const reset = [...byRole.values()].filter(isDefaultQuota).map((q) => q.role);
      const set = [...byRole.values()].filter((q) => !isDefaultQuota(q));
      if (reset.length > 0) await tx.delete(RoleQuotaEntity, { role: In(reset) });
      if (set.length > 0) {
        await tx.upsert(
          RoleQuotaEntity,
          set.map((q) => ({ role: q.role, guarantees: { ...q.guarantees }, limits: { ...q.limits }, updatedTime: now })),
          ['role'],
        );
      }
    });
  }

  /** Removes a role's quota (idempotent). */
  async removeQuota(role: string): Promise<void> {
    await this.db.getRepository(RoleQuotaEntity).delete({ role });
  }

  /** Every quota set, ordered by role. */
  async listQuotas(): Promise<RoleQuota[]> {
    const rows = await this.db.getRepository(RoleQuotaEntity).find({ order: { role: 'ASC' } });
    return rows.map((row) => ({ role: row.role, guarantees: row.guarantees, limits: row.limits }));
  }
}

function isDefaultQuota(quota: RoleQuota): boolean {
  return Object.keys(quota.guarantees).length === 0 && Object.keys(quota.limits).length === 0;
}

/**
 * `FOR UPDATE` cannot lock a row that does not exist yet, so two first registrations of one id
 * can both try to insert; the loser gets a unique violation. Running it again finds the row and
 * takes the update path.
 */
async function retryInsertRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
    if (code !== UNIQUE_VIOLATION) throw error;
    return run();
  }
}

const UNIQUE_VIOLATION = '23505';

function lockAgent(tx: EntityManager, id: string): Promise<AgentEntity | null> {
  return tx.findOne(AgentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

function lockFramework(tx: EntityManager, id: string): Promise<FrameworkEntity | null> {
  return tx.findOne(FrameworkEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

function toAgentRecord(row: AgentEntity): AgentRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    port: row.port,
    resources: row.resources,
    attributes: row.attributes,
    state: row.state,
    registeredTime: row.registeredTime,
    reregisteredTime: row.reregisteredTime,
    unreachableTime: row.unreachableTime,
    deactivated: row.deactivated,
    drainInfo: row.drainInfo,
  };
}

function toFrameworkRecord(row: FrameworkEntity): FrameworkRecord {
  return {
    id: row.id,
    name: row.name,
    principal: row.principal,
    roles: row.roles,
    failoverTimeoutSeconds: row.failoverTimeoutSeconds,
    registeredTime: row.registeredTime,
    removedTime: row.removedTime,
  };
}

/**
 * One upsert for a batch of admissions, in a single statement so it is atomic without an explicit
 * transaction. A gone agent's row is left alone (the WHERE of DO UPDATE) and not returned.
 */
const ADMIT_AGENTS_SQL = `
  INSERT INTO registry_agents AS a (id, hostname, port, resources, attributes, state, registered_time, reregistered_time, unreachable_time)
  SELECT x.id, x.hostname, x.port, x.resources, x.attributes, 'admitted', $2, NULL, NULL
  FROM jsonb_to_recordset($1::jsonb) AS x(id text, hostname text, port integer, resources text, attributes jsonb)
  ON CONFLICT (id) DO UPDATE SET
    hostname = EXCLUDED.hostname, port = EXCLUDED.port, resources = EXCLUDED.resources, attributes = EXCLUDED.attributes,
    state = 'admitted', reregistered_time = $2, unreachable_time = NULL
  WHERE a.state <> 'gone'
  RETURNING a.id, a.hostname, a.port, a.resources, a.attributes, a.state, a.registered_time, a.reregistered_time, a.unreachable_time, a.deactivated, a.drain_info`;

/** A registry_agents row as the pg driver returns it from raw SQL. */
interface AgentRow {
  id: string;
  hostname: string;
  port: number;
  resources: string;
  attributes: AgentEntity['attributes'];
  state: AgentEntity['state'];
  registered_time: Date;
  reregistered_time: Date | null;
  unreachable_time: Date | null;
  deactivated: boolean;
  drain_info: AgentEntity['drainInfo'];
}

function fromAgentRow(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    port: row.port,
    resources: row.resources,
    attributes: row.attributes,
    state: row.state,
    registeredTime: row.registered_time,
    reregisteredTime: row.reregistered_time,
    unreachableTime: row.unreachable_time,
    deactivated: row.deactivated,
    drainInfo: row.drain_info,
  };
}
