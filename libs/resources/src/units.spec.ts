import { formatMilli, milliFromNumber, milliFromText } from './units';

describe('milli units', () => {
  it.each([
    ['integer', '2', 2000],
    ['three decimals', '0.001', 1],
    ['rounds half up to three decimals', '0.0015', 2],
    ['rounds down below half', '1.0004', 1000],
    ['exponent', '2e3', 2_000_000],
    ['leading dot', '.5', 500],
    ['surrounding spaces', ' 1.5 ', 1500],
    ['negative zero is zero', '-0', 0],
  ])('parses %s', (_edge, text, milli) => {
    expect(milliFromText(text)).toEqual({ ok: true, milli });
  });

  it.each([
    ['letters', 'abc', 'value is not a number'],
    ['empty', '', 'value is not a number'],
    ['hex', '0x10', 'value is not a number'],
    ['infinity', 'Infinity', 'value is not a number'],
    ['negative', '-1', 'value must not be negative'],
    ['too large', '1e300', 'value is too large'],
  ])('rejects %s', (_edge, text, reason) => {
    expect(milliFromText(text)).toEqual({ ok: false, reason });
  });

  it.each([
    [Number.NaN, 'value is not a number'],
    [Number.POSITIVE_INFINITY, 'value is not finite'],
    [-0.5, 'value must not be negative'],
  ])('rejects the number %p', (value, reason) => {
    expect(milliFromNumber(value)).toEqual({ ok: false, reason });
  });

  it.each([
    [0, '0'],
    [1, '0.001'],
    [10, '0.01'],
    [1500, '1.5'],
    [1000, '1'],
    [123456789, '123456.789'],
  ])('formats %p as %s', (milli, text) => {
    expect(formatMilli(milli)).toBe(text);
  });
});
