import type { BusEnvelope } from '@agora/bus';
import { BUS_PREFIX, decodeBusBytes, type BusMessages, type DecodedBusMessage, encodeBusMessage, type ReplyKind } from '@agora/protocol';

/** What the simulator subscribes to once for all its agents (under the bus namespace, if any). */
export const ALL_AGENTS_WILDCARD = `${BUS_PREFIX}.agent.*.>`;

const AGENT_PREFIX = `${BUS_PREFIX}.agent.`;

/** The agent id in `agora.v1.agent.<id>.<kind>`, or undefined for any other subject. Pure. */
export function agentIdOf(subject: string): string | undefined {
  if (!subject.startsWith(AGENT_PREFIX)) return undefined;
  const end = subject.indexOf('.', AGENT_PREFIX.length);
  if (end <= AGENT_PREFIX.length || end === subject.length - 1) return undefined;
  return subject.slice(AGENT_PREFIX.length, end);
}

export type AgentMessage = Extract<DecodedBusMessage, { subject: { family: 'agent' } }> & {
  readonly reply: <K extends ReplyKind>(kind: K, message: BusMessages[K]) => void;
};

/** One simulated agent as the router sees it. */
export interface RoutedAgent {
  onAgentMessage(message: AgentMessage): void;
}

/**
 * The simulator's single subscription (`agora.v1.agent.*.>`) fans out here: the agent id is read
 * from the subject before anything is decoded, so messages for agents this process does not
 * simulate (another simulator on the same namespace) cost a string slice, not a JSON parse.
 * Validation is the same as the agent's (decodeBusBytes, as AgoraBus does).
 */
export class AgentRouter {
  private readonly agents = new Map<string, RoutedAgent>();
  /** Messages for agent ids nobody here owns, and messages that failed validation. */
  unrouted = 0;
  invalid = 0;

  constructor(private readonly onInvalid: (subject: string, error: Error) => void = () => undefined) {}

  add(agentId: string, agent: RoutedAgent): void {
    this.agents.set(agentId, agent);
  }

  remove(agentId: string): void {
    this.agents.delete(agentId);
  }

  get size(): number {
    return this.agents.size;
  }

  dispatch(envelope: BusEnvelope): void {
    const id = agentIdOf(envelope.subject);
    const agent = id === undefined ? undefined : this.agents.get(id);
    if (agent === undefined) {
      this.unrouted++;
      return;
    }
    let decoded: DecodedBusMessage;
    try {
      decoded = decodeBusBytes(envelope.subject, envelope.data);
    } catch (e) {
      this.invalid++;
      this.onInvalid(envelope.subject, e as Error);
      return;
    }
    if (decoded.subject.family !== 'agent') return;
    const reply = <K extends ReplyKind>(kind: K, message: BusMessages[K]): void => {
      envelope.respond?.(encodeBusMessage(kind, message));
    };
    try {
      agent.onAgentMessage({ ...decoded, reply } as AgentMessage);
    } catch (e) {
      this.onInvalid(envelope.subject, e as Error);
    }
  }
}
