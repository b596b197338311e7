/** Polls `test` until it gives a truthy value; the test's timeout bounds the wait. */
export async function waitFor<T>(test: () => T | Promise<T>): Promise<T> {
  for (;;) {
    const value = await test();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}
