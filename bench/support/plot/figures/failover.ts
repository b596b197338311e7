// Plot of bench/results/failover.json (npm run bench:failover): what is back how long after kill -9.

import { Bar, barChart } from '../bar-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, formatTimestamp, joinKnown } from './figure';
import { numberAt, optionalNumberAt, optionalStringAt } from './read-result';

/** Milestones after the kill, in the order they usually come; those the result lacks are left out. */
const MILESTONES: readonly (readonly [string, string])[] = [
  ['health_s', 'new master\nhealthy'],
  ['leader_s', 'new leader\nin office'],
  ['offers_s', 'offers\nflow'],
  ['agents_reregistered_s', 'every agent\nre-registered'],
  ['tasks_running_s', 'every task\nRUNNING'],
  ['reconciled_s', 'reconciliation\nanswered'],
];

const failover: FigureDefinition = {
  image: 'failover.png',
  result: 'failover.json',
  draw(result) {
    const recovery = numberAt(result, 'summary.recovery_s');
    const bars: Bar[] = [];
    for (const [field, label] of MILESTONES) {
      const value = optionalNumberAt(result, `figures.${field}`);
      if (value !== undefined) bars.push({ label, value });
    }
    bars.push({ label: 'recovery\n(summary)', value: recovery, highlight: true });
    const agents = optionalNumberAt(result, 'figures.agents');
    const tasks = optionalNumberAt(result, 'figures.tasks');
    const at = optionalStringAt(result, 'measured_at');
    // Results before issue 6 have no mode: a new master process replaced the dead one.
    const mode = optionalStringAt(result, 'figures.mode') ?? 'restart';
    return barChart({
      title: 'Master failover: time after kill -9 until …',
      subtitle: joinKnown([
        mode === 'standby' ? 'standby master takes over' : 'new master process',
        agents === undefined ? undefined : `${formatNumber(agents)} simulated agents`,
        tasks === undefined ? undefined : `${formatNumber(tasks)} running tasks`,
        at === undefined ? undefined : formatTimestamp(at),
      ]),
      yLabel: 'seconds after the kill',
      bars,
      guides: [{ value: 5, label: 'target: recovery ≤ 5 s' }],
    });
  },
};

export const FAILOVER_FIGURES: readonly FigureDefinition[] = [failover];
