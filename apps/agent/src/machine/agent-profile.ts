/**
 * The agent's description of itself to the master: where it is and what it offers. Resolved once
 * at boot from the configuration and the machine, then immutable; registration sends it and
 * `/state` shows it.
 */
import { Resources } from '@agora/resources';
import type { Attribute } from '@agora/protocol';
import { AgentConfig } from '../config/agent.config';
import { completeResources, type MachineFacts } from './agent-resources';
import { parseAttributes } from './attributes';

export class AgentProfile {
  constructor(
    /** AgentInfo.hostname: what offers and the web UI call this machine. */
    readonly hostname: string,
    /** The address the master puts into offers' `url` to reach this agent's HTTP API. */
    readonly ip: string,
    /** Absolute path of the work dir (sandboxes, meta). */
    readonly workDir: string,
    readonly resources: Resources,
    readonly attributes: readonly Attribute[],
  ) {}
}

/** The profile for a validated config: resources given, completed with the machine's own. */
export function resolveAgentProfile(config: AgentConfig, workDir: string, machine: MachineFacts): AgentProfile {
  // The config class has already rejected text that does not parse (agent.config.ts).
  const given = config.resources === undefined ? Resources.EMPTY : Resources.parse(config.resources);
  const attributes = config.attributes === undefined ? [] : parseAttributes(config.attributes);
  return new AgentProfile(config.hostname, config.advertiseIp, workDir, completeResources(given, machine), attributes);
}
