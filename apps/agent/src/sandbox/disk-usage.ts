import { Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';

/** How full a filesystem is; an injectable so the sandbox collector's tests can fill the disk at will. */
@Injectable()
export class DiskUsage {
  /** The used share (0..1) of the filesystem holding `path`, as Mesos's `fs::usage`: (blocks − free) / blocks. */
  async usage(path: string): Promise<number> {
    const fs = await statfs(path);
    return fs.blocks === 0 ? 0 : (fs.blocks - fs.bfree) / fs.blocks;
  }
}
