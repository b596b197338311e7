import { Injectable } from '@nestjs/common';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { V1Resource } from '@agora/resources';
import { AgentProfile } from '../machine/agent-profile';

/** What the agent remembers about itself across restarts (Mesos `meta/slaves/latest`). */
export interface AgentMeta {
  readonly id: string;
  /** The resources it registered with: a different set makes it a different agent. */
  readonly resources: V1Resource[];
  readonly hostname?: string;
}

/**
 * `<work_dir>/meta/agent.json`: written on every registration, read at start so a restarted
 * agent re-registers under the id the master already knows. The checkpoint issue adds tasks
 * next to it.
 */
@Injectable()
export class AgentMetaStore {
  readonly path: string;

  constructor(profile: AgentProfile) {
    this.path = join(profile.workDir, 'meta', 'agent.json');
  }

  /** The stored meta; undefined when there is none. Throws when it exists but cannot be read. */
  async read(): Promise<AgentMeta | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const json = JSON.parse(text) as Partial<AgentMeta>;
    if (typeof json.id !== 'string' || json.id === '' || !Array.isArray(json.resources)) {
      throw new Error(`${this.path} does not hold an agent id and resources`);
    }
    return { id: json.id, resources: json.resources, ...(typeof json.hostname === 'string' ? { hostname: json.hostname } : {}) };
  }

  /** Replaces the meta atomically: a crash mid-write leaves the old file, never half a file. */
  async write(meta: AgentMeta): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(temporary, this.path);
  }
}
