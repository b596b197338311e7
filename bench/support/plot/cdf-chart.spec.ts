import { cdfChart, cdfPoints } from './cdf-chart';
import { PlotInputError } from './errors';

describe('cdfPoints', () => {
  it('puts the i-th of 101 percentiles at i %', () => {
    const percentiles = Array.from({ length: 101 }, (_, i) => i * 10);
    const points = cdfPoints(percentiles);
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points[50]).toEqual({ x: 500, y: 50 });
    expect(points[100]).toEqual({ x: 1000, y: 100 });
  });

  it('reads other lengths as evenly spaced quantiles', () => {
    expect(cdfPoints([1, 2, 3, 4, 5]).map((p) => p.y)).toEqual([0, 25, 50, 75, 100]);
  });

  it('gives one point at 100 % for a single value and none for no values', () => {
    expect(cdfPoints([7])).toEqual([{ x: 7, y: 100 }]);
    expect(cdfPoints([])).toEqual([]);
  });

  it('rejects decreasing percentiles with the index', () => {
    expect(() => cdfPoints([1, 3, 2])).toThrow(PlotInputError);
    expect(() => cdfPoints([1, 3, 2])).toThrow(/percentile 2 \(2\) is below percentile 1 \(3\)/);
  });
});

describe('cdfChart', () => {
  it('draws one line per distribution on a 0–100 % axis with p50 and p99 marked', () => {
    const svg = cdfChart({
      title: 'Latency',
      xLabel: 'latency (ms)',
      distributions: [
        { name: 'running', percentiles: [1, 2, 3] },
        { name: 'finished', percentiles: [2, 4, 6] },
      ],
    });
    expect(svg.match(/<path/g)).toHaveLength(2);
    for (const label of ['running', 'finished', 'p50', 'p99', '100', 'latency (ms)']) expect(svg).toContain(`>${label}<`);
  });

  it('draws an empty chart for no data', () => {
    expect(cdfChart({ title: 'Latency', xLabel: 'ms', distributions: [] })).toContain('>no data<');
  });
});
