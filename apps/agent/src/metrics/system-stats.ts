import { Injectable } from '@nestjs/common';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The host readings of `system/*` (Mesos's system metrics process). */
export interface SystemReadings {
  readonly cpusTotal: number;
  readonly load1min: number;
  readonly load5min: number;
  readonly load15min: number;
  readonly memTotalBytes: number;
  /** Available memory (MemAvailable on Linux, as libuv reads it). */
  readonly memFreeBytes: number;
}

/** Reads the host; an injectable so metrics tests see fixed numbers. */
@Injectable()
export class SystemStats {
  read(): SystemReadings {
    const [load1min, load5min, load15min] = loadavg();
    return { cpusTotal: cpus().length, load1min, load5min, load15min, memTotalBytes: totalmem(), memFreeBytes: freemem() };
  }
}
