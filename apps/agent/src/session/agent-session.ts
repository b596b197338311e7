import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EpochFence } from './epoch-fence';

/**
 * What this agent process knows about its standing with the master: its id (once a master gave
 * it one), whether it is registered right now, and the fence of leader epochs. Written by
 * registration, read by everyone who sends to the master.
 */
@Injectable()
export class AgentSession {
  /** The agent id, from the meta file or the master's REGISTERED answer. */
  agentId: string | undefined = undefined;
  /** The id of the master that registered this agent last. */
  masterId: string | undefined = undefined;
  /** True between a REGISTERED answer and the next reason to re-register. */
  registered = false;
  /** The port the HTTP API really listens on (differs from the config when it was 0). */
  port = 0;
  /** The master stopped this agent for good (REFUSED with shutdown, or `shutdown`). */
  shutDown = false;
  readonly fence = new EpochFence();
  /** This process's registration session: every `register` attempt of it carries this. */
  readonly instance = randomUUID();
}
