/**
 * What every benchmark script shares: reading its numeric flags, and running its main with the
 * cluster it started stopped on Ctrl+C and on failure.
 */
import { type SimCluster, stopOnSignals } from './sim-cluster';

export interface FlagRule {
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** The smallest value allowed (default 0). */
  readonly min?: number;
}

/** `--name N` from the command line, or `fallback`; a value breaking `rule` is an error naming the flag. */
export function numberFlag(name: string, fallback: number, rule: FlagRule = {}): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  const min = rule.min ?? 0;
  if (!Number.isFinite(value) || value < min || (rule.integer === true && !Number.isInteger(value))) {
    throw new Error(`--${name} needs ${rule.integer === true ? 'an integer' : 'a number'} of at least ${min}, got ${process.argv[i + 1] ?? 'nothing'}`);
  }
  return value;
}

/** `--name VALUE` from the command line, one of `choices`, or `fallback`; any other value is an error naming the flag. */
export function choiceFlag<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  const choice = choices.find((c) => c === value);
  if (choice === undefined) throw new Error(`--${name} needs one of ${choices.join(', ')}, got ${value ?? 'nothing'}`);
  return choice;
}

/** Runs `main`; the cluster `current()` gives is stopped on SIGINT/SIGTERM and when main fails (exit status 1). */
export function runBenchmark(name: string, main: () => Promise<void>, current: () => SimCluster | undefined): void {
  stopOnSignals(name, current);
  main().catch(async (e: unknown) => {
    console.error(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    await current()?.stop();
    process.exitCode = 1;
  });
}
