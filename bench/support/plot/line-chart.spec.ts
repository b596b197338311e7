import { PlotInputError } from './errors';
import { lineChart, LineChartSpec, pathData } from './line-chart';

const base: LineChartSpec = { title: 'T', xLabel: 'time (s)', yLabel: 'tasks (per second)', series: [] };

/** The text content of every <text> element (tspans joined), in document order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

describe('lineChart', () => {
  it('draws axes, labels and a "no data" note for no series', () => {
    const svg = lineChart(base);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(texts(svg)).toEqual(expect.arrayContaining(['T', 'time (s)', 'tasks (per second)', 'no data']));
    expect(svg).not.toContain('<path');
  });

  it('draws "no data" also for series without points', () => {
    expect(texts(lineChart({ ...base, series: [{ name: 'a', points: [] }] }))).toContain('no data');
  });

  it('marks a single point with a dot, since a line through it would draw nothing', () => {
    const svg = lineChart({ ...base, series: [{ name: 'a', points: [{ x: 5, y: 10 }] }] });
    expect(svg).toContain('<circle');
    expect(svg).not.toContain('<path');
    expect(texts(svg)).not.toContain('no data');
  });

  it('draws one path per series and a legend only when there are several', () => {
    const one = lineChart({ ...base, series: [{ name: 'alpha', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] }] });
    expect(one.match(/<path/g)).toHaveLength(1);
    expect(texts(one)).not.toContain('alpha');
    const two = lineChart({
      ...base,
      series: [
        { name: 'alpha', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] },
        { name: 'beta', points: [{ x: 0, y: 3 }, { x: 1, y: 1 }] },
      ],
    });
    expect(two.match(/<path/g)).toHaveLength(2);
    expect(texts(two)).toEqual(expect.arrayContaining(['alpha', 'beta']));
  });

  it('labels ticks over the data range, from 0 on y and thousands grouped', () => {
    const svg = lineChart({ ...base, series: [{ name: 'a', points: [{ x: 20, y: 400 }, { x: 80, y: 1200 }] }] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['0', '400', '1,200', '20', '80']));
    expect(texts(svg)).not.toContain('10'); // x does not start at 0 unless asked
  });

  it('stretches the y axis to show a guide above the data', () => {
    const svg = lineChart({ ...base, series: [{ name: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] }], guides: [{ value: 50, label: 'target' }] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['target', '50']));
  });

  it('escapes names and labels', () => {
    const svg = lineChart({ ...base, title: 'a < b & "c"', series: [] });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
  });

  it.each([NaN, Infinity])('rejects a point at %p, naming the series and point', (bad) => {
    const spec = { ...base, series: [{ name: 'rate', points: [{ x: 0, y: 1 }, { x: 1, y: bad }] }] };
    expect(() => lineChart(spec)).toThrow(PlotInputError);
    expect(() => lineChart(spec)).toThrow(/series "rate": point 1/);
  });

  it('takes series longer than the call stack allows for spread arguments', () => {
    const points = Array.from({ length: 200_000 }, (_, i) => ({ x: i, y: i % 7 }));
    expect(lineChart({ ...base, series: [{ name: 'long', points }] })).toContain('200,000');
  });

  it('rejects a guide that is not a number', () => {
    expect(() => lineChart({ ...base, guides: [{ value: NaN, label: 'g' }] })).toThrow(/guide "g"/);
  });
});

describe('pathData', () => {
  const points = [
    { x: 0, y: 10 },
    { x: 5, y: 20 },
    { x: 10.123, y: 0 },
  ];

  it('joins points with lines', () => {
    expect(pathData(points, 'linear')).toBe('M0 10L5 20L10.12 0');
  });

  it('holds each value until the next x for steps', () => {
    expect(pathData(points, 'step')).toBe('M0 10H5V20H10.12V0');
  });
});
