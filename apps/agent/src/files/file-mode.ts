/**
 * `ls -l` style mode strings for `/files/browse` (Mesos `model(FileInfo)`): a type character and
 * nine permission characters, e.g. `drwxr-xr-x`, `-rw-r--r--`. Set-id and sticky bits are not
 * shown, as in Mesos. Pure.
 */
import { constants } from 'node:fs';

const TYPES: readonly [number, string][] = [
  [constants.S_IFREG, '-'],
  [constants.S_IFDIR, 'd'],
  [constants.S_IFCHR, 'c'],
  [constants.S_IFBLK, 'b'],
  [constants.S_IFIFO, 'p'],
  [constants.S_IFLNK, 'l'],
  [constants.S_IFSOCK, 's'],
];

export function modeString(mode: number): string {
  const type = TYPES.find(([bits]) => (mode & constants.S_IFMT) === bits)?.[1] ?? '-';
  let out = type;
  for (const shift of [6, 3, 0]) {
    const bits = (mode >> shift) & 7;
    out += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return out;
}
