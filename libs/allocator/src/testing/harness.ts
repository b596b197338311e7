import { ResourceQuantities, Resources } from '@agora/resources';
import { Allocator } from '../allocator';
import type { AgentSpec, AllocationResult, AllocatorOptions, FrameworkSpec } from '../types';

/** Small builders so table rows stay one line each. */
export const res = (text: string): Resources => Resources.parse(text);
export const qty = (text: string): ResourceQuantities => ResourceQuantities.parse(text);

export function agent(id: string, text = 'cpus:4;mem:4096', extra: Partial<AgentSpec> = {}): AgentSpec {
  return { id, hostname: `${id}.local`, total: res(text), ...extra };
}

export function framework(id: string, roles: string | string[] = '*', extra: Partial<FrameworkSpec> = {}): FrameworkSpec {
  const list = Array.isArray(roles) ? roles : [roles];
  return { id, roles: list, capabilities: { multiRole: list.length > 1 }, ...extra };
}

/** An allocator with `n` identical agents a0..a{n-1}. */
export function cluster(n: number, text = 'cpus:4;mem:4096', options: AllocatorOptions = {}): Allocator {
  const a = new Allocator(options);
  for (let i = 0; i < n; i++) a.addAgent(agent(`a${i}`, text));
  return a;
}

/** Number of agents each framework was offered. */
export function agentsPerFramework(result: AllocationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of result.offers) out[o.frameworkId] = (out[o.frameworkId] ?? 0) + 1;
  return out;
}

/** Number of agents each role was offered. */
export function agentsPerRole(result: AllocationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of result.offers) out[o.role] = (out[o.role] ?? 0) + 1;
  return out;
}

/** Declines every offer of `result` with a refuse filter. */
export function declineAll(a: Allocator, result: AllocationResult, now: number, refuseMs?: number): void {
  for (const o of result.offers) a.recoverResources(o.frameworkId, o.agentId, o.resources, { refuseMs, now });
}

/** Gives back every offer of `result` without a filter. */
export function returnAll(a: Allocator, result: AllocationResult): void {
  for (const o of result.offers) a.recoverResources(o.frameworkId, o.agentId, o.resources);
}

export function reasonCodes(result: AllocationResult, frameworkId: string, role?: string): string[] {
  const e = result.explanations.find((x) => x.frameworkId === frameworkId && (role === undefined || x.role === role));
  return e ? e.reasons.map((r) => r.code) : [];
}
