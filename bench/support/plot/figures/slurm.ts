// Plot of bench/results/slurm.json (npm run bench:slurm): jobs per second of every side of the run.

import { Bar, barChart } from '../bar-chart';
import { formatNumber } from '../ticks';
import { FigureDefinition, joinKnown } from './figure';
import { arrayAt, numberAt, optionalNumberAt, optionalStringAt } from './read-result';

const METHOD_NAMES: Record<string, string> = { 'node-spawn': 'Node spawn', posix_spawn: 'posix_spawn' };

/** A bar for the i-th row of `spawn`: one way of starting /bin/true, so many at a time. */
function spawnBar(result: unknown, i: number): Bar {
  const method = optionalStringAt(result, `spawn.${i}.method`) ?? 'unknown';
  const inFlight = numberAt(result, `spawn.${i}.in_flight`);
  return { label: `${METHOD_NAMES[method] ?? method}\n${inFlight} at a time`, value: numberAt(result, `spawn.${i}.per_sec`) };
}

const slurm: FigureDefinition = {
  image: 'slurm.png',
  result: 'slurm.json',
  draw(result) {
    const bars: Bar[] = arrayAt(result, 'spawn').map((_, i) => spawnBar(result, i));
    const slurmRate = numberAt(result, 'slurm.per_sec');
    bars.push({ label: 'Slurm\none job array', value: slurmRate });
    bars.push({ label: 'Agora\none agent', value: numberAt(result, 'agora.per_sec'), highlight: true });
    const spawnLimit = numberAt(result, 'summary.spawn_limit_per_sec');
    const jobs = optionalNumberAt(result, 'slurm.jobs');
    const load = optionalNumberAt(result, 'load_average_1m_before');
    return barChart({
      title: 'Trivial jobs (/bin/true) per second: process starts, Slurm, Agora',
      subtitle: joinKnown([
        jobs === undefined ? undefined : `${formatNumber(jobs)} jobs each`,
        optionalStringAt(result, 'slurm.version'),
        load === undefined ? undefined : `load average ${load} before the run`,
      ]),
      yLabel: 'jobs per second',
      bars,
      guides: [
        { value: 0.7 * spawnLimit, label: `target: 0.7 × spawn limit = ${formatNumber(0.7 * spawnLimit, 1)}/s` },
        { value: 10 * slurmRate, label: `target: 10 × Slurm = ${formatNumber(10 * slurmRate, 1)}/s` },
      ],
    });
  },
};

export const SLURM_FIGURES: readonly FigureDefinition[] = [slurm];
