/**
 * The machine's own process-start rate: how fast `/bin/true` can be started and reaped, with
 * `inFlight` processes at most alive at once. Two ways: Node's child_process.spawn with stdio
 * ignored (what an agent written in Node can do at best), and posix_spawn from a tiny C helper
 * compiled with the system cc (what any launcher can do at best), skipped when there is no cc.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface SpawnRate {
  readonly method: 'node-spawn' | 'posix_spawn';
  readonly in_flight: number;
  readonly count: number;
  readonly per_sec: number;
}

const round = (x: number): number => Math.round(x * 10) / 10;

export function nodeSpawnRate(count: number, inFlight: number): Promise<SpawnRate> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let started = 0;
    let ended = 0;
    const launch = (): void => {
      started++;
      const child = spawn('/bin/true', [], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', () => {
        ended++;
        if (ended === count) resolve({ method: 'node-spawn', in_flight: inFlight, count, per_sec: round(count / ((performance.now() - start) / 1000)) });
        else if (started < count) launch();
      });
    };
    for (let i = 0; i < Math.min(inFlight, count); i++) launch();
  });
}

const HELPER = `
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
extern char **environ;
int main(int argc, char **argv) {
  int count = atoi(argv[1]), inflight = atoi(argv[2]), started = 0, ended = 0, alive = 0;
  char *args[] = { "/bin/true", NULL };
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  while (ended < count) {
    while (alive < inflight && started < count) {
      pid_t pid;
      if (posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ) != 0) { perror("posix_spawn"); return 1; }
      started++; alive++;
    }
    if (wait(NULL) > 0) { ended++; alive--; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%f\\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
`;

/** Undefined when there is no C compiler. */
export function posixSpawnRates(count: number, inFlights: readonly number[]): SpawnRate[] | undefined {
  if (spawnSync('sh', ['-c', 'command -v cc'], { stdio: 'ignore' }).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'agora-spawn-'));
  try {
    writeFileSync(join(dir, 'spawn.c'), HELPER);
    execFileSync('cc', ['-O2', '-o', join(dir, 'spawn'), join(dir, 'spawn.c')]);
    return inFlights.map((inFlight) => {
      const seconds = Number(execFileSync(join(dir, 'spawn'), [String(count), String(inFlight)], { encoding: 'utf8' }).trim());
      return { method: 'posix_spawn', in_flight: inFlight, count, per_sec: round(count / seconds) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
