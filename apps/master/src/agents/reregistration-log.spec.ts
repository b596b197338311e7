import type { Logger } from '@nestjs/common';
import { Clock, type TimerHandle } from '../clock/clock';
import { ReregistrationLog } from './reregistration-log';

/** A clock whose timers run when the test says so. */
class ManualClock extends Clock {
  readonly pending: (() => void)[] = [];
  override after(_ms: number, run: () => void): TimerHandle {
    this.pending.push(run);
    return { cancel: () => this.pending.splice(this.pending.indexOf(run), 1) };
  }
  fire(): void {
    for (const run of this.pending.splice(0)) run();
  }
}

function setup() {
  const lines: { level: string; text: string }[] = [];
  const logger = { log: (text: string) => lines.push({ level: 'log', text }), debug: (text: string) => lines.push({ level: 'debug', text }) } as unknown as Logger;
  const clock = new ManualClock();
  return { lines, clock, log: new ReregistrationLog(logger, clock) };
}

describe('ReregistrationLog', () => {
  it('sums a burst of re-registrations into one line per window, each agent at debug', () => {
    const { lines, clock, log } = setup();
    log.reregistered('a1', 'h1', 5051, 10);
    log.reregistered('a2', 'h2', 5051, 5);
    expect(clock.pending).toHaveLength(1);
    clock.fire();
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(2);
    expect(lines.filter((l) => l.level === 'log').map((l) => l.text)).toEqual(['2 agents re-registered with 15 task(s) in the last 1 s']);
  });

  it('starts a new window after writing', () => {
    const { lines, clock, log } = setup();
    log.reregistered('a1', 'h1', 5051, 3);
    clock.fire();
    log.reregistered('a1', 'h1', 5051, 4);
    clock.fire();
    expect(lines.filter((l) => l.level === 'log').map((l) => l.text)).toEqual(['1 agent re-registered with 3 task(s)', '1 agent re-registered with 4 task(s)']);
  });

  it('writes what is pending when closed, and nothing when there is nothing', () => {
    const { lines, clock, log } = setup();
    log.close();
    expect(lines).toEqual([]);
    log.reregistered('a1', 'h1', 5051, 1);
    log.close();
    expect(clock.pending).toHaveLength(0);
    expect(lines.filter((l) => l.level === 'log')).toHaveLength(1);
  });
});
