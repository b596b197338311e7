/** What the registry keeps of an agent's registration, and whether a new one changes it. Pure. */
import type { RegisterAgent, ReregisterAgent } from '@agora/protocol';
import { formatResources, type Resources } from '@agora/resources';
import type { AgentAdmission, Json } from '../registry';
import { attributeMap } from './agent-spec';

/** The registry row an agent's (re-)registration asks for; `total` is its parsed resources. */
export function admissionOf(id: string, message: RegisterAgent | ReregisterAgent, total: Resources): AgentAdmission {
  return {
    id,
    hostname: message.agent_info.hostname,
    port: message.agent_info.port ?? 5051,
    resources: formatResources(total),
    attributes: attributeMap(message.agent_info.attributes ?? []),
  };
}

/** Whether two admissions say the same (attributes compared by value, in any key order). */
export function sameAdmission(a: AgentAdmission, b: AgentAdmission): boolean {
  return a.id === b.id && a.hostname === b.hostname && a.port === b.port && a.resources === b.resources && sameJson(a.attributes, b.attributes);
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  const left = a as { readonly [key: string]: Json };
  const right = b as { readonly [key: string]: Json };
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && sameJson(left[k], right[k]));
}
