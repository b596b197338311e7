import { stateForFramework } from '@agora/protocol';
import { unknownTaskAnswer } from './reconcile-answer';

type Standing = 'registered' | 'unreachable' | 'gone' | 'recovered' | 'unknown';

/** One agent `a1` in `standing`, and optionally another agent still recovered. */
function answer(agentId: string | undefined, standing: Standing, otherRecovered: boolean) {
  const is = (s: Standing) => (id: string) => id === 'a1' && standing === s;
  return unknownTaskAnswer({
    agentId,
    registered: is('registered'),
    unreachableSince: (id) => (is('unreachable')(id) ? 1_700_000_000_000 : undefined),
    gone: is('gone'),
    recovered: (id) => is('recovered')(id) || (otherRecovered && id === 'a2'),
    anyRecovered: standing === 'recovered' || otherRecovered,
  });
}

describe('unknownTaskAnswer (reference §6.2, explicit reconcile of an unknown task)', () => {
  it.each([
    // [case, agent given, standing of a1, another agent recovered, partition-aware answer, legacy answer]
    ['agent registered', 'a1', 'registered', false, 'TASK_GONE', 'TASK_LOST'],
    ['agent registered, others still recovering', 'a1', 'registered', true, 'TASK_GONE', 'TASK_LOST'],
    ['agent unreachable', 'a1', 'unreachable', false, 'TASK_UNREACHABLE', 'TASK_LOST'],
    ['agent gone', 'a1', 'gone', false, 'TASK_GONE_BY_OPERATOR', 'TASK_LOST'],
    ['agent unknown', 'a1', 'unknown', false, 'TASK_UNKNOWN', 'TASK_LOST'],
    ['no agent given', undefined, 'unknown', false, 'TASK_UNKNOWN', 'TASK_LOST'],
    ['agent still recovered: no answer', 'a1', 'recovered', false, undefined, undefined],
    ['another agent recovered, the given one unknown', 'a1', 'unknown', true, 'TASK_UNKNOWN', 'TASK_LOST'],
    ['no agent given while any is recovered: no answer', undefined, 'registered', true, undefined, undefined],
  ] as const)('%s', (_case, agentId, standing, otherRecovered, aware, legacy) => {
    const result = answer(agentId, standing, otherRecovered);
    expect(result?.state).toBe(aware);
    expect(result === undefined ? undefined : stateForFramework(result.state, false)).toBe(legacy);
  });

  it('an unreachable agent’s answer carries when it became unreachable', () => {
    expect(answer('a1', 'unreachable', false)?.unreachableSinceMs).toBe(1_700_000_000_000);
  });
});
