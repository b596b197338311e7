// Plots of bench/results/throughput.json (npm run bench:throughput).

import { cdfChart } from '../cdf-chart';
import { lineChart } from '../line-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, formatTimestamp, joinKnown } from './figure';
import { numbersAt, optionalNumberAt, optionalStringAt } from './read-result';

const RESULT = 'throughput.json';

/** "1,000 agents · 100,000 tasks · 2026-11-25 17:07 UTC", from what the result has. */
function runLine(result: unknown): string {
  const agents = optionalNumberAt(result, 'agents') ?? optionalNumberAt(result, 'figures.agents');
  const tasks = optionalNumberAt(result, 'figures.tasks');
  const at = optionalStringAt(result, 'measured_at');
  return joinKnown([
    agents === undefined ? undefined : `${formatNumber(agents)} simulated agents`,
    tasks === undefined ? undefined : `${formatNumber(tasks)} zero-duration tasks`,
    at === undefined ? undefined : formatTimestamp(at),
  ]);
}

/** Tasks finished in each whole second since the first ACCEPT, held flat across its second. */
const overTime: FigureDefinition = {
  image: 'throughput-over-time.png',
  result: RESULT,
  draw(result) {
    const perSecond = numbersAt(result, 'finished_per_second');
    const mean = optionalNumberAt(result, 'figures.finished_per_sec');
    // Second i counts [i, i+1): a step from i to i+1 at that height, closed at the last second's end.
    const points = perSecond.map((count, second) => ({ x: second, y: count }));
    if (perSecond.length > 0) points.push({ x: perSecond.length, y: perSecond[perSecond.length - 1] });
    return lineChart({
      title: 'Throughput: tasks finished per second',
      subtitle: runLine(result),
      xLabel: 'time since the first ACCEPT (s)',
      yLabel: 'tasks finished (per second)',
      series: [{ name: 'finished', points, curve: 'step' }],
      xFromZero: true,
      guides: mean === undefined ? [] : [{ value: mean, label: `mean over the run: ${formatNumber(mean, 1)}/s` }],
    });
  },
};

/**
 * ACCEPT→RUNNING and ACCEPT→FINISHED as CDFs from their 0th..100th percentiles: of the
 * offered-load phase when the run had one (the latency target's condition), else of the
 * saturated run, whose latencies are mostly queueing behind the in-flight bound.
 */
const latencyCdf: FigureDefinition = {
  image: 'throughput-latency-cdf.png',
  result: RESULT,
  draw(result) {
    const rate = optionalNumberAt(result, 'offered_load.figures.offered_rate');
    const tasks = optionalNumberAt(result, 'offered_load.figures.tasks');
    const prefix = rate === undefined ? '' : 'offered_load.';
    const what = rate === undefined ? 'saturated run' : `${formatNumber(tasks ?? 0)} tasks offered at ${formatNumber(rate)}/s`;
    return cdfChart({
      title: `Throughput: latency from ACCEPT, per task (${what})`,
      subtitle: runLine(result),
      xLabel: 'time from the ACCEPT that launched the task (ms)',
      distributions: [
        { name: 'ACCEPT → TASK_RUNNING', percentiles: numbersAt(result, `${prefix}running_ms_percentiles`) },
        { name: 'ACCEPT → TASK_FINISHED', percentiles: numbersAt(result, `${prefix}finished_ms_percentiles`) },
      ],
    });
  },
};

export const THROUGHPUT_FIGURES: readonly FigureDefinition[] = [overTime, latencyCdf];
