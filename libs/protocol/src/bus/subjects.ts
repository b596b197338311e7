/**
 * NATS subjects between master and agents, all under `agora.v1.` so a future v2 can run beside
 * them. Three families:
 *
 * - `agora.v1.master.<kind>`: agents to the master. Only the leader subscribes (in a queue
 *   group), so agents never need to know which master leads.
 * - `agora.v1.agent.<agentId>.<kind>`: the master to one agent. An agent subscribes to
 *   `agora.v1.agent.<its id>.>` once it knows its id (from the registration reply).
 * - `agora.v1.agents.<kind>`: the master to every agent.
 *
 * The last token of a subject is the message kind (bus/messages.ts); replies to requests travel
 * on NATS inboxes and have kinds but no subject of their own.
 */
import { ProtocolError } from '../errors';

export const BUS_PREFIX = 'agora.v1';

/** Kinds an agent sends to the master. `register` and `reregister` are requests answered with `registered`. */
export const TO_MASTER_KINDS = ['register', 'reregister', 'status-update', 'task-ended', 'executor-message', 'executor-exited', 'agent-exiting'] as const;

/** Kinds the master sends to one agent. `ping` is a request answered with `pong`. */
export const TO_AGENT_KINDS = [
  'ping',
  'run-task',
  'run-task-group',
  'kill-task',
  'status-ack',
  'shutdown-framework',
  'shutdown-executor',
  'framework-message',
  'shutdown',
  'drain',
] as const;

/** Kinds the master sends to all agents. */
export const BROADCAST_KINDS = ['master-elected'] as const;

/** Kinds that only travel as replies to requests. */
export const REPLY_KINDS = ['registered', 'pong'] as const;

export type ToMasterKind = (typeof TO_MASTER_KINDS)[number];
export type ToAgentKind = (typeof TO_AGENT_KINDS)[number];
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];
export type ReplyKind = (typeof REPLY_KINDS)[number];
export type SubjectKind = ToMasterKind | ToAgentKind | BroadcastKind;

const NATS_TOKEN = /^[^\s.*>]+$/;

export function masterSubject(kind: ToMasterKind): string {
  return `${BUS_PREFIX}.master.${kind}`;
}

/** The subject of `kind` for one agent; the agent id must be a valid NATS token (no dots, spaces, wildcards). */
export function agentSubject(agentId: string, kind: ToAgentKind): string {
  if (!NATS_TOKEN.test(agentId)) throw new ProtocolError('agent_id', `'${agentId}' cannot be part of a NATS subject`);
  return `${BUS_PREFIX}.agent.${agentId}.${kind}`;
}

export function broadcastSubject(kind: BroadcastKind): string {
  return `${BUS_PREFIX}.agents.${kind}`;
}

/** What the master subscribes to (as a queue group, leader only). */
export const MASTER_WILDCARD = `${BUS_PREFIX}.master.>`;

/** What an agent subscribes to: its own subjects. */
export function agentWildcard(agentId: string): string {
  return agentSubject(agentId, 'ping').replace(/\.ping$/, '.>');
}

/** What every agent subscribes to besides its own subjects. */
export const BROADCAST_WILDCARD = `${BUS_PREFIX}.agents.>`;

export type ParsedSubject =
  | { readonly family: 'master'; readonly kind: ToMasterKind }
  | { readonly family: 'agent'; readonly kind: ToAgentKind; readonly agentId: string }
  | { readonly family: 'agents'; readonly kind: BroadcastKind };

const includes = <T extends string>(list: readonly T[], s: string): s is T => (list as readonly string[]).includes(s);

/** The family, kind and agent id of a subject; throws ProtocolError for anything else. */
export function parseSubject(subject: string): ParsedSubject {
  const tokens = subject.split('.');
  const [agora, version, family] = tokens;
  if (agora !== 'agora' || version !== 'v1') throw new ProtocolError('subject', `'${subject}' is not under ${BUS_PREFIX}.`);
  if (family === 'master' && tokens.length === 4 && includes(TO_MASTER_KINDS, tokens[3])) {
    return { family, kind: tokens[3] };
  }
  if (family === 'agent' && tokens.length === 5 && includes(TO_AGENT_KINDS, tokens[4])) {
    return { family, kind: tokens[4], agentId: tokens[3] };
  }
  if (family === 'agents' && tokens.length === 4 && includes(BROADCAST_KINDS, tokens[3])) {
    return { family, kind: tokens[3] };
  }
  throw new ProtocolError('subject', `unknown subject '${subject}'`);
}
