import { performance } from 'node:perf_hooks';
import { keepAliveAgent, timed } from './http-probe';

/**
 * Waits until the master lists exactly `count` agents (at most `timeoutMs`). On a loaded machine
 * a simulated agent whose registration timed out registers again, and the master may admit both
 * attempts: an agent the simulator does not run, which never answers a ping, and whose tasks
 * would never start. The benchmarks that use this start the master with
 * AGORA_MAX_AGENT_PING_TIMEOUTS=2, so such agents are gone after two missed pings (30 s).
 */
export async function untilExactlyAgents(master: string, count: number, timeoutMs = 300_000): Promise<void> {
  const agent = keepAliveAgent(1);
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      const answer = await timed(`${master}/state-summary`, agent, { keepBody: true });
      const listed = (JSON.parse(answer.body) as { slaves: unknown[] }).slaves.length;
      if (listed === count) return;
      if (performance.now() > deadline) throw new Error(`the master still lists ${listed} agents, not ${count}`);
      console.log(`  the master lists ${listed} agents; waiting for the ${listed - count} the simulator gave up on to be removed`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  } finally {
    agent.destroy();
  }
}
