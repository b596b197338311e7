import { constants } from 'node:fs';
import { modeString } from './file-mode';

describe('modeString', () => {
  it.each([
    [constants.S_IFREG | 0o644, '-rw-r--r--'],
    [constants.S_IFDIR | 0o755, 'drwxr-xr-x'],
    [constants.S_IFLNK | 0o777, 'lrwxrwxrwx'],
    [constants.S_IFIFO | 0o600, 'prw-------'],
    [constants.S_IFREG | 0o4755, '-rwxr-xr-x'],
  ])('renders %o as %s', (mode, expected) => {
    expect(modeString(mode)).toBe(expected);
  });
});
