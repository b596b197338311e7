/**
 * User and group names for `/files/browse` (Mesos shows names, not numbers). Read once from
 * /etc/passwd and /etc/group; an id without an entry shows as its number.
 */
import { readFile } from 'node:fs/promises';

export class OwnerNames {
  private tables?: Promise<{ users: Map<number, string>; groups: Map<number, string> }>;

  async user(uid: number): Promise<string> {
    return (await this.load()).users.get(uid) ?? String(uid);
  }

  async group(gid: number): Promise<string> {
    return (await this.load()).groups.get(gid) ?? String(gid);
  }

  private load(): Promise<{ users: Map<number, string>; groups: Map<number, string> }> {
    this.tables ??= Promise.all([table('/etc/passwd'), table('/etc/group')]).then(([users, groups]) => ({ users, groups }));
    return this.tables;
  }
}

/** `name:x:id:...` lines to id → name (the first name wins). */
async function table(path: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const text = await readFile(path, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    const n = Number(id);
    if (name && id !== undefined && id !== '' && Number.isInteger(n) && !out.has(n)) out.set(n, name);
  }
  return out;
}
