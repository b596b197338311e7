import { Ticker } from './ticker';

describe('Ticker', () => {
  it('runs callbacks in time order once their bucket has passed, never early', () => {
    const ticker = new Ticker(1000, 10);
    const ran: string[] = [];
    ticker.at(1025, () => ran.push('b'));
    ticker.at(1001, () => ran.push('a'));
    ticker.at(1500, () => ran.push('c'));
    expect(ticker.advance(1009)).toBe(0);
    expect(ticker.advance(1010)).toBe(1);
    expect(ticker.advance(1030)).toBe(1);
    expect(ran).toEqual(['a', 'b']);
    ticker.advance(2000);
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('does not run a cancelled callback, and runs a time already past at the next tick', () => {
    const ticker = new Ticker(0, 10);
    const ran: string[] = [];
    ticker.at(50, () => ran.push('cancelled')).cancel();
    ticker.advance(100);
    ticker.at(20, () => ran.push('late'));
    ticker.advance(110);
    expect(ran).toEqual(['late']);
  });

  it('runs callbacks filed for now by a running callback in the same advance', () => {
    const ticker = new Ticker(0, 10);
    const ran: number[] = [];
    ticker.at(10, () => {
      ran.push(1);
      ticker.at(10, () => ran.push(2));
    });
    ticker.advance(10);
    expect(ran).toEqual([1, 2]);
  });

  it('keeps going when a callback throws, reporting the error', () => {
    const ticker = new Ticker(0, 10);
    const errors: unknown[] = [];
    const ran: string[] = [];
    ticker.at(10, () => {
      throw new Error('boom');
    });
    ticker.at(10, () => ran.push('after'));
    ticker.advance(10, (e) => errors.push(e));
    expect(ran).toEqual(['after']);
    expect(errors).toHaveLength(1);
  });
});
