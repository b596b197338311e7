import type { TaskExit } from '../task-driver';
import { parseExitFile } from './exit-file';

describe('parseExitFile', () => {
  it.each<[string, TaskExit | undefined]>([
    ['exited 0\n', { kind: 'exited', code: 0 }],
    ['exited 3\n', { kind: 'exited', code: 3 }],
    ['signaled 9\n', { kind: 'signaled', signal: 'SIGKILL' }],
    ['signaled 15', { kind: 'signaled', signal: 'SIGTERM' }],
    ['exited 300\n', undefined],
    ['signaled 200\n', undefined],
    ['', undefined],
    ['exited\n', undefined],
    ['something else', undefined],
  ])('%j', (text, expected) => {
    expect(parseExitFile(text)).toEqual(expected);
  });
});
