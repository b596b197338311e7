// Plot of bench/results/docker.json (npm run bench:docker): the raw engine loop against Agora.

import { Bar, barChart } from '../bar-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, joinKnown } from './figure';
import { numberAt, optionalNumberAt, optionalStringAt } from './read-result';

const docker: FigureDefinition = {
  image: 'docker.png',
  result: 'docker.json',
  draw(result) {
    const raw = numberAt(result, 'raw.per_sec');
    const before = optionalNumberAt(result, 'raw_before.per_sec');
    const after = optionalNumberAt(result, 'raw_after.per_sec');
    // In the order they ran: the raw loop's halves around Agora show how the load moved meanwhile.
    const bars: Bar[] = [];
    if (before !== undefined) bars.push({ label: 'raw engine\nbefore Agora', value: before });
    bars.push({ label: 'Agora\ndocker driver', value: numberAt(result, 'agora.per_sec'), highlight: true });
    if (after !== undefined) bars.push({ label: 'raw engine\nafter Agora', value: after });
    bars.push({ label: 'raw engine\nall', value: raw });
    const containers = optionalNumberAt(result, 'agora.tasks');
    const concurrency = optionalNumberAt(result, 'raw.concurrency');
    const engine = optionalStringAt(result, 'engine');
    return barChart({
      title: 'Containers per second: raw engine loop and Agora',
      subtitle: joinKnown([
        containers === undefined ? undefined : `${formatNumber(containers)} containers (sh -c true)`,
        concurrency === undefined ? undefined : `${concurrency} at a time`,
        engine === undefined ? undefined : `Docker engine ${engine}`,
      ]),
      yLabel: 'containers per second',
      bars,
      guides: [{ value: 0.9 * raw, label: `target: 0.9 × raw = ${formatNumber(0.9 * raw, 1)}/s` }],
    });
  },
};

export const DOCKER_FIGURES: readonly FigureDefinition[] = [docker];
