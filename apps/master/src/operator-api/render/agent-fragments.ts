/**
 * Each agent's JSON text, kept between whole-state answers: at 10,000 agents, rendering and
 * serializing every agent again was a large part of `/state` although few change between two
 * requests. A fragment is reused while every field the renderers read is what it was (the same
 * value, or the same object: records replace, rather than edit, their info, resources,
 * attributes and capabilities) and the agent holds the same used and offered resources (the same
 * objects from a memoized usage index, render/usage.ts). No I/O; the memo is the only state.
 */
import type { OperatorAgent } from '@agora/protocol';
import type { AgentRecord } from '../../cluster/records';
import { type Holdings, renderV1Agent } from '../v1/render/entities';
import { renderAgent } from './entities';
import type { AgentJson } from './json';
import { rawAs } from './json-parts';
import { held, type Usage } from './usage';

interface Fragment {
  readonly inputs: readonly unknown[];
  readonly text: string;
}

export class AgentFragments {
  private readonly v0 = new WeakMap<AgentRecord, Fragment>();
  private readonly v1 = new WeakMap<AgentRecord, Fragment>();

  /** The agent as `/state` shows it, as a stand-in for jsonParts(). */
  readonly v0Agent = (agent: AgentRecord, usage: Usage): AgentJson => {
    const inputs = [...fields(agent), held(usage.usedByAgent, agent.id), held(usage.offeredByAgent, agent.id)];
    return rawAs<AgentJson>(text(this.v0, agent, inputs, () => JSON.stringify(renderAgent(agent, usage))));
  };

  /** The agent as GET_STATE shows it, as a stand-in for jsonParts(). */
  readonly v1Agent = (agent: AgentRecord, holdings: Holdings): OperatorAgent => {
    const inputs = [...fields(agent), holdings.allocated, holdings.offered];
    return rawAs<OperatorAgent>(text(this.v1, agent, inputs, () => JSON.stringify(renderV1Agent(agent, holdings))));
  };
}

/** What the renderers read from the record. */
function fields(a: AgentRecord): unknown[] {
  return [a.info, a.hostname, a.port, a.ip, a.total, a.attributes, a.version, a.capabilities, a.registeredAt, a.reregisteredAt, a.active, a.deactivated, a.drainInfo];
}

function text(memo: WeakMap<AgentRecord, Fragment>, agent: AgentRecord, inputs: readonly unknown[], render: () => string): string {
  const known = memo.get(agent);
  if (known !== undefined && known.inputs.length === inputs.length && known.inputs.every((v, i) => v === inputs[i])) return known.text;
  const made = render();
  memo.set(agent, { inputs, text: made });
  return made;
}
