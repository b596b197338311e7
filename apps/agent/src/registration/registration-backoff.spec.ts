import { MAX_REGISTRATION_BACKOFF_MS, registrationDelay } from './registration-backoff';

describe('registrationDelay', () => {
  it('doubles the bound per attempt from the factor, capped at a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => registrationDelay(n, 1000, 0.999999))).toEqual([
      999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999, 59_999,
    ]);
  });

  it('waits a random part of the bound', () => {
    expect(registrationDelay(3, 1000, 0)).toBe(0);
    expect(registrationDelay(3, 1000, 0.5)).toBe(4000);
    expect(registrationDelay(20, 1000, 0.5)).toBe(MAX_REGISTRATION_BACKOFF_MS / 2);
  });
});
