import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@agora/resources';
import { AgentProfile } from '../machine/agent-profile';
import { FileNotFoundError, InvalidFileRequestError } from './files.errors';
import { FilesService, MAX_READ_BYTES } from './files.service';

describe('FilesService', () => {
  let base: string;
  let workDir: string;
  let files: FilesService;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'agora-files-'));
    workDir = join(base, 'work');
    await mkdir(join(workDir, 'sandbox', 'sub'), { recursive: true });
    await writeFile(join(workDir, 'sandbox', 'stdout'), 'hello\nworld\n');
    await writeFile(join(base, 'secret'), 'outside');
    files = new FilesService(new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []));
  });

  afterEach(() => rm(base, { recursive: true, force: true }));

  it('lists a directory like Mesos, sorted by path', async () => {
    await utimes(join(workDir, 'sandbox', 'stdout'), 1_700_000_000, 1_700_000_000);
    const listing = await files.browse(join(workDir, 'sandbox'));
    expect(listing.map((e) => e.path)).toEqual([join(workDir, 'sandbox', 'stdout'), join(workDir, 'sandbox', 'sub')]);
    expect(listing[0]).toEqual({
      path: join(workDir, 'sandbox', 'stdout'),
      nlink: 1,
      size: 12,
      mtime: 1_700_000_000,
      mode: expect.stringMatching(/^-[r-][w-][x-]/),
      uid: userInfo().username,
      gid: expect.any(String),
    });
    expect(listing[1].mode).toMatch(/^d/);
  });

  it('lists nothing for a file, as Mesos does', async () => {
    expect(await files.browse(join(workDir, 'sandbox', 'stdout'))).toEqual([]);
  });

  it('takes paths relative to the work dir', async () => {
    expect((await files.browse('sandbox')).map((e) => e.path)).toContain(join(workDir, 'sandbox', 'stdout'));
  });

  it.each([
    ['offset -1 gives the size', -1, -1, { data: '', offset: 12 }],
    ['no offset gives the size', undefined, undefined, { data: '', offset: 12 }],
    ['offset 0 reads all', 0, -1, { data: 'hello\nworld\n', offset: 0 }],
    ['a length reads that much', 6, 3, { data: 'wor', offset: 6 }],
    ['a length past the end stops at it', 6, 100, { data: 'world\n', offset: 6 }],
    ['at the end there is nothing', 12, -1, { data: '', offset: 12 }],
    ['past the end there is nothing', 50, -1, { data: '', offset: 50 }],
    ['length 0 reads nothing', 0, 0, { data: '', offset: 0 }],
  ])('reads: %s', async (_case, offset, length, expected) => {
    expect(await files.read(join(workDir, 'sandbox', 'stdout'), offset, length)).toEqual(expected);
  });

  it('reads at most 64 KiB at a time', async () => {
    await writeFile(join(workDir, 'big'), 'x'.repeat(MAX_READ_BYTES * 2));
    expect((await files.read(join(workDir, 'big'), 0)).data).toHaveLength(MAX_READ_BYTES);
  });

  it('leaves a multi-byte character cut by the chunk for the next read', async () => {
    await writeFile(join(workDir, 'utf8'), 'aé');
    expect(await files.read(join(workDir, 'utf8'), 0, 2)).toEqual({ data: 'a', offset: 0 });
    expect(await files.read(join(workDir, 'utf8'), 1, 2)).toEqual({ data: 'é', offset: 1 });
  });

  it('maps bytes that are not UTF-8 one to one, so offsets stay exact', async () => {
    await writeFile(join(workDir, 'binary'), Buffer.from([0x61, 0xff, 0x62]));
    expect(await files.read(join(workDir, 'binary'), 0)).toEqual({ data: 'a?b', offset: 0 });
  });

  it('refuses to read or download a FIFO instead of waiting for a writer', async () => {
    const fifo = join(workDir, 'sandbox', 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(files.read(fifo, 0)).rejects.toThrow('Cannot read a file that is not a regular file.');
    await expect(files.download(fifo)).rejects.toThrow(InvalidFileRequestError);
  });

  it('downloads a growing file as it was when asked: exactly the size it announced', async () => {
    const path = join(workDir, 'sandbox', 'stdout');
    const download = await files.download(path);
    await appendFile(path, 'more\n');
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream) chunks.push(chunk as Buffer);
    expect(download.size).toBe(12);
    expect(Buffer.concat(chunks).toString()).toBe('hello\nworld\n');
  });

  it('downloads an empty file', async () => {
    await writeFile(join(workDir, 'empty'), '');
    const download = await files.download(join(workDir, 'empty'));
    const chunks: unknown[] = [];
    for await (const chunk of download.stream) chunks.push(chunk);
    expect([download.size, chunks]).toEqual([0, []]);
  });

  it('refuses to read or download a directory', async () => {
    await expect(files.read(join(workDir, 'sandbox'), 0)).rejects.toThrow(InvalidFileRequestError);
    await expect(files.download(join(workDir, 'sandbox'))).rejects.toThrow(InvalidFileRequestError);
  });

  it.each([
    ['a missing file', (w: string) => join(w, 'nope')],
    ['a path climbing out of the work dir', (w: string) => join(w, '..', 'secret')],
    ['an absolute path elsewhere', () => '/etc/passwd'],
  ])('answers not found for %s', async (_case, path) => {
    await expect(files.read(path(workDir), 0)).rejects.toThrow(FileNotFoundError);
    await expect(files.browse(path(workDir))).rejects.toThrow(FileNotFoundError);
  });

  it('answers not found for a symlink a task planted to reach outside', async () => {
    await symlink(join(base, 'secret'), join(workDir, 'sandbox', 'escape'));
    await expect(files.read(join(workDir, 'sandbox', 'escape'), 0)).rejects.toThrow(FileNotFoundError);
  });

  it('follows a symlink that stays inside (runs/latest)', async () => {
    await symlink('sandbox', join(workDir, 'latest'));
    expect(await files.read(join(workDir, 'latest', 'stdout'), 0, 5)).toEqual({ data: 'hello', offset: 0 });
  });
});
