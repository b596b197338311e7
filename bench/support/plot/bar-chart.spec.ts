import { barChart, BarChartSpec } from './bar-chart';
import { PlotInputError } from './errors';

const base: BarChartSpec = { title: 'Rates', yLabel: 'jobs per second', bars: [] };

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1].replace(/<tspan[^>]*>/g, '|').replace(/<\/tspan>/g, ''));
}

describe('barChart', () => {
  it('draws one bar per value with its value above and its label below, lines split', () => {
    const svg = barChart({ ...base, bars: [{ label: 'Slurm', value: 17.2 }, { label: 'Agora\none agent', value: 98.34, highlight: true }] });
    expect(svg.match(/<rect/g)).toHaveLength(3); // the background and two bars
    expect(texts(svg)).toEqual(expect.arrayContaining(['Slurm', '|Agora|one agent', '17.2', '98.3']));
  });

  it('starts at 0 and reaches the highest bar or guide', () => {
    const svg = barChart({ ...base, bars: [{ label: 'a', value: 40 }], guides: [{ value: 170, label: 'target' }] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['0', '200', 'target']));
  });

  it('says "no data" without bars', () => {
    expect(texts(barChart(base))).toContain('no data');
  });

  it('draws a bar of 0 without dividing by zero', () => {
    const svg = barChart({ ...base, bars: [{ label: 'none', value: 0 }] });
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it.each([-1, NaN])('rejects the value %p, naming the bar', (value) => {
    expect(() => barChart({ ...base, bars: [{ label: 'x', value }] })).toThrow(PlotInputError);
    expect(() => barChart({ ...base, bars: [{ label: 'x', value }] })).toThrow(/bar 0 \("x"\)/);
  });
});
