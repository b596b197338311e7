import { Injectable } from '@nestjs/common';
import { constants, type Stats } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { AgentProfile } from '../machine/agent-profile';
import { modeString } from './file-mode';
import { FileNotFoundError, InvalidFileRequestError } from './files.errors';
import { OwnerNames } from './owner-names';
import { utf8Chunk } from './utf8-chunk';

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
  /** Exactly `size` bytes: a file that grows while it is sent is cut at the size it had. */
  readonly stream: Readable;
}

/** Mesos caps one read at 16 pages. */
export const MAX_READ_BYTES = 16 * 4096;

/** Opening never waits: a FIFO a task planted in its sandbox must not hang a reader. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

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
   * Up to `length` bytes (capped at MAX_READ_BYTES) from `offset`, as a tailing viewer asks:
   * offset -1 (or none) gives the file's size, `{data: "", offset: size}`; at or past the end
   * there is no data and the offset comes back as asked. `data` stands for the bytes from
   * `offset` on, and its UTF-8 length is exactly their number (utf8-chunk.ts): a character cut
   * by the end of the chunk is left for the next read, bytes that are not UTF-8 become `?`.
   * So the next offset is always `offset + Buffer.byteLength(data)`.
   */
  async read(path: string, offset = -1, length = -1): Promise<FileChunk> {
    const { real } = await this.resolve(path);
    regularFile(await stat(real).catch((e: unknown) => notFoundIfGone(e, path)), 'read');
    const file = await open(real, READ_FLAGS).catch((e: unknown) => notFoundIfGone(e, path));
    try {
      const s = await file.stat();
      regularFile(s, 'read');
      if (offset === -1) return { data: '', offset: s.size };
      if (offset >= s.size || length === 0) return { data: '', offset };
      const wanted = Math.min(length === -1 ? s.size - offset : length, MAX_READ_BYTES, s.size - offset);
      const buffer = Buffer.alloc(wanted);
      const { bytesRead } = await file.read(buffer, 0, wanted, offset);
      return { data: utf8Chunk(buffer.subarray(0, bytesRead)).text, offset };
    } finally {
      await file.close();
    }
  }

  /** The file as it is now: its current size, then exactly that many bytes. */
  async download(path: string): Promise<FileDownload> {
    const { real } = await this.resolve(path);
    regularFile(await stat(real).catch((e: unknown) => notFoundIfGone(e, path)), 'download');
    const file = await open(real, READ_FLAGS).catch((e: unknown) => notFoundIfGone(e, path));
    let size: number;
    try {
      const s = await file.stat();
      regularFile(s, 'download');
      size = s.size;
    } catch (e) {
      await file.close();
      throw e;
    }
    if (size === 0) {
      await file.close();
      return { name: basename(real), size, stream: Readable.from([]) };
    }
    // The stream closes the file when it ends or is destroyed (a client that went away).
    return { name: basename(real), size, stream: file.createReadStream({ start: 0, end: size - 1 }) };
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

/** Directories and special files (FIFOs, sockets, devices) cannot be read or downloaded. */
function regularFile(s: Stats, what: 'read' | 'download'): void {
  if (s.isDirectory()) throw new InvalidFileRequestError(`Cannot ${what} a directory.`);
  if (!s.isFile()) throw new InvalidFileRequestError(`Cannot ${what} a file that is not a regular file.`);
}

/** A file removed between resolving and opening it is reported like one that never was. */
function notFoundIfGone(e: unknown, path: string): never {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(path);
  throw e;
}
