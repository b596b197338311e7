/**
 * `agora drain`, `agora deactivate`, `agora reactivate`: one v1 operator call each (POST
 * /api/v1: DRAIN_AGENT, DEACTIVATE_AGENT, REACTIVATE_AGENT; apps/master/src/operator-api/README.md),
 * and one line saying what the master now does with the agent. A standby master's 307 is
 * followed to the leader (http-client's postJson).
 */
import type { OperatorCall } from '@agora/protocol';
import { HttpStatusError, postJson } from '../http/http-client';
import { masterEndpoint } from '../master-url';

export type AgentCommand =
  | { readonly name: 'drain'; readonly agentId: string; readonly maxGracePeriodSeconds?: number; readonly markGone: boolean }
  | { readonly name: 'deactivate' | 'reactivate'; readonly agentId: string };

const TIMEOUT_MS = 15_000;
const NANOSECONDS_PER_SECOND = 1e9;

/** The v1 call a command sends, as JSON. */
export function agentCall(command: AgentCommand): OperatorCall {
  const agent_id = { value: command.agentId };
  switch (command.name) {
    case 'drain': {
      const seconds = command.maxGracePeriodSeconds;
      return {
        type: 'DRAIN_AGENT',
        drain_agent: {
          agent_id,
          ...(seconds !== undefined ? { max_grace_period: { nanoseconds: Math.round(seconds * NANOSECONDS_PER_SECOND) } } : {}),
          mark_gone: command.markGone,
        },
      };
    }
    case 'deactivate':
      return { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id } };
    case 'reactivate':
      return { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id } };
  }
}

/** The line printed once the master accepted the call. */
export function outcome(command: AgentCommand): string {
  const agent = `agent ${command.agentId}`;
  switch (command.name) {
    case 'drain': {
      const seconds = command.maxGracePeriodSeconds;
      const kill =
        seconds === undefined ? 'tasks killed with their own grace periods' : seconds === 0 ? 'tasks killed at once' : `tasks killed within ${seconds} s`;
      return `${agent} is draining (${kill}${command.markGone ? '; marked gone once drained' : ''})`;
    }
    case 'deactivate':
      return `${agent} is deactivated (no new offers; its tasks keep running)`;
    case 'reactivate':
      return `${agent} is reactivated (offered again)`;
  }
}

/**
 * Sends the call and says what happened. Throws UnreachableError or HttpStatusError (from
 * http-client) when the master cannot answer or refuses (400 with its reason, 503 while no
 * leader is known); the CLI turns those into a message and exit status 1.
 */
export async function changeAgent(master: string, command: AgentCommand): Promise<string> {
  try {
    await postJson(masterEndpoint(master, '/api/v1'), agentCall(command), { timeoutMs: TIMEOUT_MS });
  } catch (error) {
    // A standby says so in its body; anything else answering 503 may not.
    if (error instanceof HttpStatusError && error.status === 503 && error.body === '') {
      throw new HttpStatusError(error.method, error.url, error.status, error.statusText, 'no leading master is known; retry shortly');
    }
    throw error;
  }
  return outcome(command);
}
