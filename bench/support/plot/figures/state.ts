// Plots of bench/results/state.json (npm run bench:state): how long /state and GET_STATE take, and
// /health beside them. Two charts, because their targets (1 s and 50 ms) are 20× apart and on one
// axis the /health bars would vanish.

import { Bar, barChart } from '../bar-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, formatTimestamp, joinKnown } from './figure';
import { numberAt, optionalNumberAt, optionalStringAt } from './read-result';

type Measurements = readonly (readonly [path: string, label: string])[];

/** Paths under `figures`; those a result lacks are left out. */
const STATE: Measurements = [
  ['state.p50_ms', '/state\np50'],
  ['state.p99_ms', '/state\np99'],
  ['get_state.p50_ms', 'GET_STATE\np50'],
  ['get_state.p99_ms', 'GET_STATE\np99'],
  ['state_under_load.p50_ms', '/state, 2 clients\np50'],
  ['state_under_load.p99_ms', '/state, 2 clients\np99'],
];

const HEALTH: Measurements = [
  ['health_idle.p50_ms', 'idle\np50'],
  ['health_idle.p99_ms', 'idle\np99'],
  ['health_under_state_load.p50_ms', 'under /state load\np50'],
  ['health_under_state_load.p99_ms', 'under /state load\np99'],
];

function bars(result: unknown, measurements: Measurements): Bar[] {
  return measurements.flatMap(([path, label]) => {
    const value = optionalNumberAt(result, `figures.${path}`);
    return value === undefined ? [] : [{ label, value }];
  });
}

function subtitle(result: unknown): string {
  const agents = optionalNumberAt(result, 'figures.agents');
  const tasks = optionalNumberAt(result, 'figures.tasks');
  const at = optionalStringAt(result, 'measured_at');
  return joinKnown([
    agents === undefined ? undefined : `${formatNumber(agents)} simulated agents`,
    tasks === undefined ? undefined : `${formatNumber(tasks)} tasks`,
    at === undefined ? undefined : formatTimestamp(at),
  ]);
}

const state: FigureDefinition = {
  image: 'state.png',
  result: 'state.json',
  draw(result) {
    numberAt(result, 'summary.state_p50_ms'); // the figure: refuse a result without it
    return barChart({
      title: 'Operator state: /state and GET_STATE latency',
      subtitle: subtitle(result),
      yLabel: 'latency (ms)',
      bars: bars(result, STATE),
      guides: [{ value: 1000, label: 'target: /state ≤ 1,000 ms' }],
    });
  },
};

const health: FigureDefinition = {
  image: 'state-health.png',
  result: 'state.json',
  draw(result) {
    numberAt(result, 'summary.health_p99_ms');
    return barChart({
      title: '/health latency, idle and while /state is requested',
      subtitle: subtitle(result),
      yLabel: 'latency (ms)',
      bars: bars(result, HEALTH).map((bar) => ({ ...bar, highlight: bar.label.startsWith('under') })),
      guides: [{ value: 50, label: 'target: p99 ≤ 50 ms under load' }],
    });
  },
};

export const STATE_FIGURES: readonly FigureDefinition[] = [state, health];
