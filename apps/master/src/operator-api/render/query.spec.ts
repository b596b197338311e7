import { jsonpCallback, nonNegativeInteger, optionalDuration, single, wrapJsonp } from './query';

describe('single', () => {
  it.each([
    [{ a: 'x' }, 'x'],
    [{ a: ['x', 'y'] }, 'x'],
    [{}, undefined],
    [{ a: { nested: 'x' } }, undefined],
  ])('reads %j', (query, expected) => {
    expect(single(query, 'a')).toBe(expected);
  });
});

describe('nonNegativeInteger', () => {
  it.each([
    [{}, { ok: true, value: 7 }],
    [{ n: '0' }, { ok: true, value: 0 }],
    [{ n: '42' }, { ok: true, value: 42 }],
    [{ n: '-1' }, { ok: false, problem: "Invalid query parameter 'n': expected a non-negative integer, got '-1'" }],
    [{ n: '1e3' }, { ok: false, problem: expect.stringContaining("'n'") }],
    [{ n: ' 4' }, { ok: false, problem: expect.stringContaining("'n'") }],
  ])('reads %j', (query, expected) => {
    expect(nonNegativeInteger(query, 'n', 7)).toEqual(expected);
  });
});

describe('optionalDuration', () => {
  it.each([
    [{}, true],
    [{ timeout: '5secs' }, true],
    [{ timeout: '1.5mins' }, true],
    [{ timeout: '100ms' }, true],
    [{ timeout: '5' }, false],
    [{ timeout: 'soon' }, false],
  ])('reads %j', (query, ok) => {
    expect(optionalDuration(query, 'timeout').ok).toBe(ok);
  });
});

describe('jsonpCallback', () => {
  it.each([
    [{}, undefined],
    [{ jsonp: 'cb' }, 'cb'],
    [{ jsonp: 'angular.callbacks._0' }, 'angular.callbacks._0'],
    [{ jsonp: 'jQuery1234_5678' }, 'jQuery1234_5678'],
    [{ jsonp: '$cb' }, '$cb'],
  ])('accepts %j', (query, expected) => {
    expect(jsonpCallback(query)).toEqual({ ok: true, value: expected });
  });

  it.each(['', 'alert(1)//', 'a b', '1cb', 'cb;evil', 'a..b', 'x'.repeat(129)])('refuses %j, naming the parameter', (jsonp) => {
    const parsed = jsonpCallback({ jsonp });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain("'jsonp'");
  });
});

describe('wrapJsonp', () => {
  it('calls the callback with the JSON', () => {
    expect(wrapJsonp('cb', { a: [1, 'x'] })).toBe('cb({"a":[1,"x"]});');
  });
});
