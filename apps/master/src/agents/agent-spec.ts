/** What an agent's AgentInfo means to the allocator and the registry. Pure. */
import type { AgentSpec } from '@agora/allocator';
import type { AgentInfo, Attribute } from '@agora/protocol';
import type { Resources } from '@agora/resources';
import type { Json } from '../registry';

export function agentSpec(id: string, info: AgentInfo, total: Resources, capabilities: readonly string[]): AgentSpec {
  return {
    id,
    hostname: info.hostname,
    total,
    attributes: (info.attributes ?? []).map((a) => ({ name: a.name, text: a.type === 'TEXT' ? a.text?.value : undefined })),
    region: info.domain?.fault_domain?.region?.name,
    zone: info.domain?.fault_domain?.zone?.name,
    multiRoleCapable: capabilities.includes('MULTI_ROLE'),
  };
}

/** Attributes as the registry and the v0 endpoints show them: `{rack: "r1", level: 10}`. */
export function attributeMap(attributes: readonly Attribute[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const a of attributes) out[a.name] = attributeValue(a);
  return out;
}

export function attributeValue(a: Attribute): Json {
  switch (a.type) {
    case 'TEXT':
      return a.text?.value ?? '';
    case 'SCALAR':
      return a.scalar?.value ?? 0;
    case 'RANGES':
      return `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    case 'SET':
      return `{${(a.set?.item ?? []).join(', ')}}`;
    default:
      return null;
  }
}
