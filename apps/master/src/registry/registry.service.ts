import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Clock } from '../clock/clock';
import { AgentEntity } from './entities/agent.entity';
import { FrameworkEntity } from './entities/framework.entity';
import { RegistryEpochEntity } from './entities/registry-epoch.entity';
import {
  AgentGoneError,
  FrameworkRemovedError,
  UnknownAgentError,
  UnknownFrameworkError,
} from './registry.errors';
import {
  AgentAdmission,
  AgentRecord,
  FrameworkRecord,
  FrameworkRegistration,
} from './registry.records';

/**
 * The durable registry (DESIGN §4): which agents were admitted and what became of them, and
 * which frameworks exist. Only membership changes come here, never per-task traffic. Each
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

  /**
   * Admits an agent that registers or re-registers: a new id is inserted, a known one is
   * updated and becomes `admitted` again. Throws AgentGoneError for an agent marked gone.
   */
  admitAgent(agent: AgentAdmission): Promise<AgentRecord> {
    return retryInsertRace(() => this.db.transaction(async (tx) => {
      const now = this.now();
      const existing = await lockAgent(tx, agent.id);
      if (existing?.state === 'gone') throw new AgentGoneError(agent.id);
      const row = tx.create(AgentEntity, {
        id: agent.id,
        hostname: agent.hostname,
        port: agent.port,
        resources: agent.resources,
        attributes: { ...agent.attributes },
        state: 'admitted',
        registeredTime: existing?.registeredTime ?? now,
        reregisteredTime: existing ? now : null,
        unreachableTime: null,
      });
      return toAgentRecord(await tx.save(row));
    }));
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
