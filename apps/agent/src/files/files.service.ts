import { Injectable } from '@nestjs/common';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { AgentProfile } from '../machine/agent-profile';
import { modeString } from './file-mode';
import { FileNotFoundError, InvalidFileRequestError } from './files.errors';
import { OwnerNames } from './owner-names';

/** One entry of `/files/browse`, as Mesos's `model(FileInfo)`. */
export interface FileEntry {
  readonly path: string;
  readonly nlink: number;
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly mode: string;
  readonly uid: string;
  readonly gid: string;
}

export interface FileChunk {
  readonly data: string;
  readonly offset: number;
}

export interface FileDownload {
  readonly name: string;
  readonly size: number;
  readonly stream: ReadStream;
}

/** Mesos caps one read at 16 pages. */
export const MAX_READ_BYTES = 16 * 4096;

/**
 * The sandbox files API (reference §5.8): browse, read (the web UI's pailer tails with it) and
 * download, confined to the work dir. A path is resolved with realpath first, so neither `..`
 * nor a symlink a task planted in its sandbox can reach outside.
 */
@Injectable()
export class FilesService {
  private root?: Promise<string>;
  private readonly owners = new OwnerNames();

  constructor(private readonly profile: AgentProfile) {}

  /** The entries of a directory, sorted by path; a file lists as nothing (as in Mesos). */
  async browse(path: string): Promise<FileEntry[]> {
    const { requested, real } = await this.resolve(path);
    if (!(await stat(real)).isDirectory()) return [];
    const entries: FileEntry[] = [];
    for (const name of (await readdir(real)).sort()) {
      const s = await stat(join(real, name)).catch(() => undefined);
      if (s === undefined) continue; // a dangling symlink, or gone since readdir
      entries.push({
        path: join(requested, name),
        nlink: s.nlink,
        size: s.size,
        mtime: Math.floor(s.mtimeMs / 1000),
        mode: modeString(s.mode),
        uid: await this.owners.user(s.uid),
        gid: await this.owners.group(s.gid),
      });
    }
    return entries;
  }

  /**
   * Up to `length` bytes (capped at MAX_READ_BYTES) from `offset`. Offset -1 (or none) asks for
   * the file's size: `{data: "", offset: size}`. Reading at or past the end gives no data. A
   * multi-byte character cut by the end of the chunk is left for the next read.
   */
  async read(path: string, offset = -1, length = -1): Promise<FileChunk> {
    const { real } = await this.resolve(path);
    const file = await open(real, 'r');
    try {
      const s = await file.stat();
      if (s.isDirectory()) throw new InvalidFileRequestError('Cannot read a directory.');
      if (offset === -1) return { data: '', offset: s.size };
      if (offset >= s.size || length === 0) return { data: '', offset };
      const wanted = Math.min(length === -1 ? s.size - offset : length, MAX_READ_BYTES, s.size - offset);
      const buffer = Buffer.alloc(wanted);
      const { bytesRead } = await file.read(buffer, 0, wanted, offset);
      return { data: buffer.subarray(0, completeUtf8(buffer.subarray(0, bytesRead))).toString('utf8'), offset };
    } finally {
      await file.close();
    }
  }

  async download(path: string): Promise<FileDownload> {
    const { real } = await this.resolve(path);
    const s = await stat(real);
    if (s.isDirectory()) throw new InvalidFileRequestError('Cannot download a directory.');
    return { name: basename(real), size: s.size, stream: createReadStream(real) };
  }

  /** The requested path made absolute (relative paths are taken from the work dir) and its realpath, inside the work dir. */
  private async resolve(path: string): Promise<{ requested: string; real: string }> {
    const root = await this.workDirRealpath();
    const requested = resolve(this.profile.workDir, path);
    let real: string;
    try {
      real = await realpath(requested);
    } catch {
      throw new FileNotFoundError(path);
    }
    if (real !== root && !real.startsWith(root + sep)) throw new FileNotFoundError(path);
    return { requested, real };
  }

  private workDirRealpath(): Promise<string> {
    this.root ??= realpath(this.profile.workDir);
    return this.root;
  }
}

/** The length of `bytes` without a trailing, incomplete UTF-8 sequence. */
export function completeUtf8(bytes: Uint8Array): number {
  // Look back at most 3 bytes for the start of the last sequence.
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
