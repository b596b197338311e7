import { Batched } from './batched';

describe('Batched', () => {
  it('makes one answer for the requests of one turn, and a new one for later requests', async () => {
    let made = 0;
    const batched = new Batched(() => ++made);
    const together = await Promise.all([batched.get(), batched.get(), batched.get()]);
    expect(together).toEqual([1, 1, 1]);
    expect(await batched.get()).toBe(2);
  });

  it('makes the answer after every request of the turn arrived', async () => {
    let state = 'before';
    const batched = new Batched(() => state);
    const first = batched.get();
    state = 'after';
    expect(await Promise.all([first, batched.get()])).toEqual(['after', 'after']);
  });

  it('rejects every waiting request when making the answer fails, and recovers', async () => {
    let fail = true;
    const batched = new Batched(() => {
      if (fail) throw new Error('boom');
      return 'ok';
    });
    await expect(Promise.all([batched.get(), batched.get()])).rejects.toThrow('boom');
    fail = false;
    await expect(batched.get()).resolves.toBe('ok');
  });
});
