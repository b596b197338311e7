import { decodeReply, encodeSpawn, type LauncherReply, LauncherRequestError, type LauncherSpawnFields, ReplyDecoder } from './launcher-protocol';

const request = (over: Partial<LauncherSpawnFields> = {}): LauncherSpawnFields => ({
  id: 7,
  file: '/bin/sh',
  argv: ['sh', '-c', 'true'],
  env: { PATH: '/bin', HOME: '/s' },
  cwd: '/s',
  stdoutPath: '/s/stdout',
  stderrPath: '/s/stderr',
  ...over,
});

/** The frame's fields, as the launcher splits them. */
function fields(frame: Buffer): string[] {
  expect(frame.readUInt32LE(0)).toBe(frame.length - 4);
  const body = frame.subarray(4).toString();
  expect(body.endsWith('\0')).toBe(true);
  return body.slice(0, -1).split('\0');
}

describe('encodeSpawn', () => {
  it.each<[string, Partial<LauncherSpawnFields>, string[]]>([
    ['a shell command', {}, ['spawn', '7', '/bin/sh', '/s', '/s/stdout', '/s/stderr', '', '', '3', 'sh', '-c', 'true', '2', 'PATH=/bin', 'HOME=/s']],
    ['a cgroup', { cgroupProcsFile: '/cg/c1/cgroup.procs', argv: ['x'], env: {} }, ['spawn', '7', '/bin/sh', '/s', '/s/stdout', '/s/stderr', '/cg/c1/cgroup.procs', '', '1', 'x', '0']],
    ['empty arguments and values', { argv: ['a', ''], env: { EMPTY: '' } }, ['spawn', '7', '/bin/sh', '/s', '/s/stdout', '/s/stderr', '', '', '2', 'a', '', '1', 'EMPTY=']],
    ['spaces, newlines and UTF-8', { argv: ['é x', 'a\nb'], env: { V: 'a=b c' } }, ['spawn', '7', '/bin/sh', '/s', '/s/stdout', '/s/stderr', '', '', '2', 'é x', 'a\nb', '1', 'V=a=b c']],
    ['an exit file', { exitFile: '/m/runs/c1/exit', argv: ['x'], env: {} }, ['spawn', '7', '/bin/sh', '/s', '/s/stdout', '/s/stderr', '', '/m/runs/c1/exit', '1', 'x', '0']],
  ])('frames %s', (_what, over, expected) => {
    expect(fields(encodeSpawn(request(over)))).toEqual(expected);
  });

  it('counts the length in bytes, not characters', () => {
    const frame = encodeSpawn(request({ argv: ['ééé'] }));
    expect(frame.readUInt32LE(0)).toBe(frame.length - 4);
  });

  it.each<[string, Partial<LauncherSpawnFields>, RegExp]>([
    ['a NUL in an argument', { argv: ['sh', 'a\0b'] }, /field 10 of the request \("a\\u0000b"\) holds a NUL byte/],
    ['a NUL in a value', { env: { A: '\0' } }, /holds a NUL byte/],
    ['a NUL in a path', { stdoutPath: '/s/\0' }, /field 4/],
    ['no argv[0]', { argv: [] }, /argv must hold at least argv\[0\]/],
    ['a variable name with =', { env: { 'A=B': 'c' } }, /the environment variable name 'A=B'/],
    ['an empty variable name', { env: { '': 'c' } }, /name '' is empty/],
    ['a negative id', { id: -1 }, /the request id must be a whole number/],
  ])('refuses %s', (_what, over, message) => {
    expect(() => encodeSpawn(request(over))).toThrow(LauncherRequestError);
    expect(() => encodeSpawn(request(over))).toThrow(message);
  });
});

describe('decodeReply', () => {
  it.each<[string, LauncherReply]>([
    ['ready 1', { kind: 'ready', version: 1 }],
    ['started 7 4242', { kind: 'started', id: 7, pid: 4242 }],
    ['failed 7 2 spawn', { kind: 'failed', id: 7, errno: 2, stage: 'spawn' }],
    ['failed 8 13 stdout', { kind: 'failed', id: 8, errno: 13, stage: 'stdout' }],
    ['failed 8 28 stderr', { kind: 'failed', id: 8, errno: 28, stage: 'stderr' }],
    ['failed 9 16 cgroup', { kind: 'failed', id: 9, errno: 16, stage: 'cgroup' }],
    ['failed 9 22 request', { kind: 'failed', id: 9, errno: 22, stage: 'request' }],
    ['exited 7 0', { kind: 'exited', id: 7, code: 0 }],
    ['exited 7 255', { kind: 'exited', id: 7, code: 255 }],
    ['signaled 7 15', { kind: 'signaled', id: 7, signal: 15 }],
    ['fatal frame of 99999999 bytes is over the limit', { kind: 'fatal', message: 'frame of 99999999 bytes is over the limit' }],
    ['invalid request', { kind: 'garbled', line: 'invalid request' }],
    ['started 7', { kind: 'garbled', line: 'started 7' }],
    ['started 7 0', { kind: 'garbled', line: 'started 7 0' }],
    ['started 7 -5', { kind: 'garbled', line: 'started 7 -5' }],
    ['exited x 1', { kind: 'garbled', line: 'exited x 1' }],
    ['exited 7 1 2', { kind: 'garbled', line: 'exited 7 1 2' }],
    ['failed 7 2 exec', { kind: 'garbled', line: 'failed 7 2 exec' }],
    ['ready 1.5', { kind: 'garbled', line: 'ready 1.5' }],
    ['hello', { kind: 'garbled', line: 'hello' }],
  ])('%s', (line, expected) => {
    expect(decodeReply(line)).toEqual(expected);
  });
});

describe('ReplyDecoder', () => {
  it('keeps a line cut by a chunk boundary until its end arrives', () => {
    const decoder = new ReplyDecoder();
    expect(decoder.push('ready 1\nstar')).toEqual([{ kind: 'ready', version: 1 }]);
    expect(decoder.push('ted 1 ')).toEqual([]);
    expect(decoder.push('99\nexited 1 0\n')).toEqual([
      { kind: 'started', id: 1, pid: 99 },
      { kind: 'exited', id: 1, code: 0 },
    ]);
  });
});
