/**
 * Agents a new leader knows only from the registry (reference §6.1 "recovered"), as `/state`
 * `recovered_slaves` and GET_AGENTS `recovered_agents` show them: what the agent said when it
 * was last admitted (Mesos shows the SlaveInfo from its registry).
 */
import type { AgentInfo, Attribute } from '@agora/protocol';
import { Resources, toV0, toV1, type V0Resources } from '@agora/resources';
import type { RecoveredAgent } from '../../cluster/cluster-state';

export interface RecoveredSlaveJson {
  id: string;
  hostname: string;
  port: number;
  resources: V0Resources;
  attributes: Record<string, unknown>;
}

export function renderRecoveredSlave(agent: RecoveredAgent): RecoveredSlaveJson {
  return { id: agent.id, hostname: agent.hostname, port: agent.port, resources: toV0(parsed(agent.resources)), attributes: { ...agent.attributes } };
}

export function renderRecoveredAgentInfo(agent: RecoveredAgent): AgentInfo {
  return {
    id: { value: agent.id },
    hostname: agent.hostname,
    port: agent.port,
    resources: toV1(parsed(agent.resources)),
    attributes: Object.entries(agent.attributes).map(([name, value]) => attributeOf(name, value)),
  };
}

/** The registry's text was written by this master from validated resources; unreadable text shows as none. */
function parsed(text: string): Resources {
  try {
    return Resources.parse(text);
  } catch {
    return Resources.parse('');
  }
}

/** The registry keeps attribute values flat (agents/agent-spec.ts attributeMap): numbers are scalars, the rest text. */
function attributeOf(name: string, value: unknown): Attribute {
  if (typeof value === 'number') return { name, type: 'SCALAR', scalar: { value } };
  return { name, type: 'TEXT', text: { value: typeof value === 'string' ? value : JSON.stringify(value) } };
}
