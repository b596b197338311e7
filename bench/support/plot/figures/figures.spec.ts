import { Resvg } from '@resvg/resvg-js';
import { FIGURES, ResultFormatError } from '.';
import { FigureDefinition } from './figure';

/** Minimal results in the shape the benchmarks write (see bench/README.md). */
const SAMPLES: Record<string, unknown> = {
  'throughput.json': {
    summary: { tasks_per_sec: 600, p99_running_ms: 2300 },
    figures: { agents: 100, tasks: 5000, finished_per_sec: 600 },
    finished_per_second: [0, 500, 900, 700],
    running_ms_percentiles: Array.from({ length: 101 }, (_, i) => 400 + i * 20),
    finished_ms_percentiles: Array.from({ length: 101 }, (_, i) => 1400 + i * 30),
    measured_at: '2026-11-25T17:07:23.245Z',
  },
  'slurm.json': {
    summary: { agora_per_sec: 98.3, slurm_per_sec: 17.2, ratio: 5.7, spawn_limit_per_sec: 991.8 },
    load_average_1m_before: 4.58,
    spawn: [
      { method: 'node-spawn', in_flight: 1, count: 2000, per_sec: 227.7 },
      { method: 'posix_spawn', in_flight: 8, count: 2000, per_sec: 991.8 },
    ],
    slurm: { version: 'slurm-wlm 22.05.8', jobs: 2000, per_sec: 17.2 },
    agora: { tasks: 2000, per_sec: 98.3 },
  },
  'docker.json': {
    summary: { agora_per_sec: 7.5, raw_per_sec: 8.7, ratio: 0.86 },
    engine: '20.10.24+dfsg1',
    raw: { containers: 200, concurrency: 8, per_sec: 8.7 },
    raw_before: { per_sec: 9.5 },
    raw_after: { per_sec: 8.1 },
    agora: { tasks: 200, per_sec: 7.5 },
  },
  'failover.json': {
    summary: { recovery_s: 7.17 },
    figures: { agents: 500, tasks: 5000, health_s: 2.64, offers_s: 4.66, agents_reregistered_s: 7.17 },
  },
  'allocation.json': {
    summary: { cycle_p50_ms: 12.5 },
    figures: {
      agents: 10000,
      frameworks: 3,
      allocation_interval_ms: 1000,
      idle: { allocation_run_ms: { p50: 8, p99: 20 } },
      busy: { allocation_run_ms: { p50: 12.5, p99: 40 }, allocation_cycle_ms: { p50: 30 } },
    },
  },
  'state.json': {
    summary: { state_p50_ms: 404, health_p99_ms: 5158 },
    figures: { agents: 1000, tasks: 10000, state: { p50_ms: 404, p99_ms: 797 }, health_under_state_load: { p99_ms: 5158 } },
  },
};

function sample(figure: FigureDefinition): unknown {
  const result = SAMPLES[figure.result];
  if (result === undefined) throw new Error(`add a sample of ${figure.result} to this spec`);
  return result;
}

describe.each(FIGURES.map((f) => [f.image, f] as const))('%s', (_image, figure) => {
  it('draws SVG that the PNG renderer parses', () => {
    const svg = figure.draw(sample(figure));
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // Parsing is enough here (no fonts loaded, nothing rendered): a malformed document throws.
    expect(new Resvg(svg, { font: { loadSystemFonts: false } }).width).toBeGreaterThan(0);
  });

  it.each([null, 42, [], {}])('names the missing field when the result is %p', (result) => {
    expect(() => figure.draw(result)).toThrow(ResultFormatError);
    expect(() => figure.draw(result)).toThrow(/^[a-z_.0-9]+: expected/);
  });
});

describe('figures', () => {
  it('have unique image names, each a .png from a .json', () => {
    const images = FIGURES.map((f) => f.image);
    expect(new Set(images).size).toBe(images.length);
    for (const figure of FIGURES) {
      expect(figure.image).toMatch(/^[a-z0-9-]+\.png$/);
      expect(figure.result).toMatch(/^[a-z0-9-]+\.json$/);
    }
  });

  it('draw the docker chart without the halves of the raw loop, which older results lack', () => {
    const docker = FIGURES.find((f) => f.image === 'docker.png');
    const { raw_before: _b, raw_after: _a, ...older } = SAMPLES['docker.json'] as Record<string, unknown>;
    expect(docker?.draw(older)).toContain('raw engine');
  });

  it('draw the failover chart of a standby taking over, and name a result without a mode a new process', () => {
    const failover = FIGURES.find((f) => f.image === 'failover.png');
    const standby = { summary: { recovery_s: 1.73, mode: 'standby' }, figures: { mode: 'standby', agents: 500, tasks: 5000, leader_s: 0.34, offers_s: 0.58, agents_reregistered_s: 1.73 } };
    const svg = failover?.draw(standby) ?? '';
    expect(svg).toContain('standby master takes over');
    expect(svg).toContain('in office');
    expect(svg).not.toContain('healthy');
    expect(failover?.draw(SAMPLES['failover.json'])).toContain('new master process');
  });

  it('report a wrong type inside an array with its index', () => {
    const throughput = FIGURES.find((f) => f.image === 'throughput-over-time.png');
    const broken = { ...(SAMPLES['throughput.json'] as object), finished_per_second: [1, 'two'] };
    expect(() => throughput?.draw(broken)).toThrow('finished_per_second[1]: expected a number, found the string "two"');
  });
});
