import { Injectable } from '@nestjs/common';
import { BatchCoalescer } from './batch-coalescer';
import type { AgentAdmission, AgentRecord } from './registry.records';
import { RegistryService } from './registry.service';

/** Statement size stays modest; 1,000 rows of agent details are about 200 KB of JSON. */
const MAX_ADMISSIONS_PER_STATEMENT = 1000;

/**
 * Admission of registering and re-registering agents, batched (reference §5.2: the registry
 * write comes before the agent is used). After a failover every agent re-registers within the
 * registration backoff (1 s); admitting each in its own transaction made the round trips to
 * Postgres the bound on recovery. Admissions that arrive while one statement runs share the next.
 */
@Injectable()
export class AgentAdmissions {
  private readonly coalescer: BatchCoalescer<AgentAdmission, AgentRecord>;

  constructor(registry: RegistryService) {
    this.coalescer = new BatchCoalescer<AgentAdmission, AgentRecord>(
      (agent) => agent.id,
      (agents) => registry.admitAgents(agents),
      { maxBatch: MAX_ADMISSIONS_PER_STATEMENT },
    );
  }

  /** Resolves with the agent's record once admitted; rejects with AgentGoneError for a gone agent. */
  admit(agent: AgentAdmission): Promise<AgentRecord> {
    return this.coalescer.submit(agent);
  }
}
