/**
 * The operator API's side effects: reading the host (for `system/*` metrics) and the build
 * (for `/version`). Behind injectables so the renderers stay pure and tests pass fixed readings.
 */
import { statSync } from 'node:fs';
import { availableParallelism, freemem, loadavg, totalmem, userInfo } from 'node:os';
import { Injectable } from '@nestjs/common';
import type { BuildFacts, HostReadings } from './render/inputs';

@Injectable()
export class HostStats {
  read(): HostReadings {
    const [one, five, fifteen] = loadavg();
    return { cpus: availableParallelism(), load: [one, five, fifteen], memTotalBytes: totalmem(), memFreeBytes: freemem() };
  }
}

/**
 * Build facts. No build step stamps them yet, so they are read once at start: the build time is
 * when this module's compiled file was written (the build, for `dist/`), the build user the one
 * running the master.
 */
@Injectable()
export class BuildInfo {
  readonly facts: BuildFacts = readBuildFacts();
}

function readBuildFacts(): BuildFacts {
  let builtAt: Date;
  try {
    builtAt = statSync(__filename).mtime;
  } catch {
    builtAt = new Date(0);
  }
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = 'unknown';
  }
  return { date: builtAt.toISOString().slice(0, 19).replace('T', ' '), time: Math.floor(builtAt.getTime() / 1000), user };
}
