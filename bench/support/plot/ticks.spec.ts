import { fixedAxis, formatNumber, formatTick, formatValue, niceAxis, niceStep } from './ticks';
import { linearScale } from './scale';

describe('niceStep', () => {
  it.each([
    [10, 5, 2],
    [100, 5, 20],
    [1, 5, 0.2],
    [7, 5, 1],
    [3000, 5, 500],
    [0.03, 5, 0.005],
    [100, 10, 10],
  ])('splits %p into about %p parts of %p', (span, target, step) => {
    expect(niceStep(span, target)).toBeCloseTo(step, 12);
  });

  it.each([[0], [-1], [NaN], [Infinity]])('rejects the span %p', (span) => {
    expect(() => niceStep(span)).toThrow(RangeError);
  });
});

describe('niceAxis', () => {
  it('widens to whole steps', () => {
    expect(niceAxis(3, 97)).toEqual({ min: 0, max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
  });

  it('takes in 0 when asked', () => {
    expect(niceAxis(400, 1000, { includeZero: true }).ticks).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceAxis(400, 1000).ticks[0]).toBe(400);
  });

  it('gives exact decimal ticks, not 0.15000000000000002', () => {
    expect(niceAxis(0.1, 0.3).ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('pads a single value so that it sits inside the axis', () => {
    const axis = niceAxis(5, 5);
    expect(axis.min).toBeLessThan(5);
    expect(axis.max).toBeGreaterThan(5);
  });

  it('gives 0..1 for nothing but zeros from zero', () => {
    expect(niceAxis(0, 0, { includeZero: true })).toMatchObject({ min: 0, max: 1 });
    expect(niceAxis(0, 0)).toMatchObject({ min: -1, max: 1 });
  });

  it('handles negative ranges', () => {
    expect(niceAxis(-95, -5).ticks).toEqual([-100, -80, -60, -40, -20, 0]);
  });

  it.each([
    [NaN, 1],
    [0, Infinity],
    [2, 1],
  ])('rejects %p..%p with a message', (min, max) => {
    expect(() => niceAxis(min, max)).toThrow(/niceAxis/);
  });
});

describe('fixedAxis', () => {
  it('keeps the domain and puts ticks inside it', () => {
    expect(fixedAxis(0, 100)).toEqual({ min: 0, max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
    expect(fixedAxis(5, 95).ticks).toEqual([20, 40, 60, 80]);
  });

  it('rejects an empty domain', () => {
    expect(() => fixedAxis(1, 1)).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, 0, '0'],
    [1234567, 0, '1,234,567'],
    [991.8, 1, '991.8'],
    [17.0, 1, '17'],
    [0.25, 2, '0.25'],
    [-1500, 0, '-1,500'],
    [-0.01, 1, '0'],
    [999.96, 1, '1,000'],
  ])('formats %p with %p decimals as %p', (value, decimals, text) => {
    expect(formatNumber(value, decimals)).toBe(text);
  });

  it.each([
    [6.031, '6.03'],
    [98.34, '98.3'],
    [991.8, '992'],
    [5158.52, '5,159'],
    [0, '0'],
  ])('formats the measured value %p as %p', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('gives tick labels the decimals of their step', () => {
    const axis = niceAxis(0, 1);
    expect(axis.ticks.map((t) => formatTick(t, axis))).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, inverted ranges included', () => {
    const y = linearScale([0, 100], [400, 0]);
    expect([y(0), y(50), y(100)]).toEqual([400, 200, 0]);
  });

  it('maps a flat domain to the middle of the range', () => {
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});
