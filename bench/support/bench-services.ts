/**
 * NATS, Postgres (and a Docker engine) for a benchmark: the ones named by NATS_URL, DATABASE_URL
 * (and DOCKER_HOST) when they are set, otherwise a set of its own started with scripts/services.sh
 * in a private state directory (so another run's services are never touched) and stopped after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchServices {
  /** True when this run started them. */
  readonly own: boolean;
  stop(): void;
}

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'services.sh');

export function ensureServices(needDocker: boolean): BenchServices {
  const wanted = ['NATS_URL', 'DATABASE_URL', ...(needDocker ? ['DOCKER_HOST'] : [])];
  if (wanted.every((name) => process.env[name])) return { own: false, stop: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'agora-bench-services-'));
  const env = { ...process.env, AGORA_SERVICES_DIR: dir };
  console.log(`services: ${wanted.filter((n) => !process.env[n]).join(', ')} not set; starting scripts/services.sh in ${dir}`);
  execFileSync(SCRIPT, ['start'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const lines = execFileSync(SCRIPT, ['env'], { env, encoding: 'utf8' });
  for (const match of lines.matchAll(/^export (\w+)=(.*)$/gm)) process.env[match[1]] = match[2];
  return {
    own: true,
    stop: () => {
      execFileSync(SCRIPT, ['stop'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
