// Plot of bench/results/allocation.json (npm run bench:allocation): the allocation cycle as the
// master's own metrics report it, idle and with frameworks launching.

import { Bar, barChart } from '../bar-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, formatTimestamp, joinKnown } from './figure';
import { numberAt, optionalNumberAt, optionalStringAt } from './read-result';

/** Timers under `figures`, as [path, label]; the statistics a result lacks are left out. */
const TIMERS: readonly (readonly [path: string, label: string, highlight: boolean])[] = [
  ['idle.allocation_run_ms', 'idle', false],
  ['busy.allocation_run_ms', 'with demand', true],
  // Agora's own timer: the cycle including handing its offers to the frameworks.
  ['busy.allocation_cycle_ms', 'with offers sent', false],
];
const STATISTICS = ['p50', 'p99'] as const;

const allocation: FigureDefinition = {
  image: 'allocation.png',
  result: 'allocation.json',
  draw(result) {
    numberAt(result, 'summary.cycle_p50_ms'); // the figure: refuse a result without it
    const bars: Bar[] = TIMERS.flatMap(([path, label, highlight]) =>
      STATISTICS.flatMap((statistic) => {
        const value = optionalNumberAt(result, `figures.${path}.${statistic}`);
        return value === undefined ? [] : [{ label: `${label}\n${statistic}`, value, highlight }];
      }),
    );
    const agents = optionalNumberAt(result, 'figures.agents');
    const frameworks = optionalNumberAt(result, 'figures.frameworks');
    const interval = optionalNumberAt(result, 'figures.allocation_interval_ms');
    const at = optionalStringAt(result, 'measured_at');
    return barChart({
      title: 'Allocation cycle in the running master',
      subtitle: joinKnown([
        agents === undefined ? undefined : `${formatNumber(agents)} simulated agents`,
        frameworks === undefined ? undefined : `${frameworks} frameworks`,
        interval === undefined ? undefined : `every ${formatNumber(interval)} ms`,
        at === undefined ? undefined : formatTimestamp(at),
      ]),
      yLabel: 'cycle duration (ms)',
      bars,
    });
  },
};

export const ALLOCATION_FIGURES: readonly FigureDefinition[] = [allocation];
