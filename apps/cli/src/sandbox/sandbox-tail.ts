/**
 * Follows a task's `stdout` and `stderr` in its sandbox, the way the Mesos web UI's pailer does:
 * poll `/files/read` from the last offset every ~200 ms and pass on whatever is new. Once the
 * task is over, `finish()` reads to the end so the last lines are never lost.
 *
 * Offsets are bytes. The agent returns the bytes as UTF-8 text in a JSON string, so the offset
 * advances by the UTF-8 length of what came back.
 */
import type { SandboxFiles } from './agent-files';

export type OutputSink = (data: Uint8Array) => void;

export interface SandboxTailOptions {
  readonly files: SandboxFiles;
  readonly frameworkId: string;
  /** The executor whose sandbox to follow; for a command task, the task id. */
  readonly executorId: string;
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  /** Pause between polls (default 200 ms). */
  readonly intervalMs?: number;
  /** Bytes asked for per read (default 64 KiB, the web UI's page). */
  readonly chunkBytes?: number;
}

/** How often `finish()` asks for a sandbox the agent does not report yet before giving up. */
const FINISH_LOCATE_ATTEMPTS = 10;

interface FollowedFile {
  readonly name: 'stdout' | 'stderr';
  readonly sink: OutputSink;
  offset: number;
}

export class SandboxTail {
  private directory: string | undefined;
  private readonly files: FollowedFile[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The latest failure while following; reported only if the final read fails too. */
  private lastError: unknown;
  private readonly intervalMs: number;
  private readonly chunkBytes: number;

  constructor(private readonly options: SandboxTailOptions) {
    this.intervalMs = options.intervalMs ?? 200;
    this.chunkBytes = options.chunkBytes ?? 65536;
    this.files = [
      { name: 'stdout', sink: options.stdout, offset: 0 },
      { name: 'stderr', sink: options.stderr, offset: 0 },
    ];
  }

  /** Starts polling. Failures while the task runs are retried quietly at the next poll. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.schedule();
  }

  /** Stops polling without reading further (the run ended some other way than the task's end). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Stops polling and reads both files to their end. Throws when the sandbox cannot be found or
   * read at all, so the caller can warn that output may be missing.
   */
  async finish(): Promise<void> {
    this.stop();
    await this.running;
    for (let attempt = 1; this.directory === undefined; attempt++) {
      this.directory = await this.options.files.executorDirectory(this.options.frameworkId, this.options.executorId);
      if (this.directory !== undefined) break;
      if (attempt >= FINISH_LOCATE_ATTEMPTS) {
        throw new Error(`the agent reports no sandbox for executor '${this.options.executorId}'`, { cause: this.lastError });
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
    await this.readAll(this.directory);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        if (!this.stopped) this.schedule();
      });
    }, this.intervalMs);
  }

  private async poll(): Promise<void> {
    try {
      this.directory ??= await this.options.files.executorDirectory(this.options.frameworkId, this.options.executorId);
      if (this.directory !== undefined) await this.readAll(this.directory);
    } catch (error) {
      this.lastError = error;
    }
  }

  /** Reads each file from its offset until the agent has nothing more. */
  private async readAll(directory: string): Promise<void> {
    for (const file of this.files) {
      for (;;) {
        const data = await this.options.files.read(`${directory}/${file.name}`, file.offset, this.chunkBytes);
        if (data === '') break;
        const bytes = Buffer.from(data, 'utf8');
        file.offset += bytes.length;
        file.sink(bytes);
        // A short page means we are at the end for now; a full one means there may be more.
        if (bytes.length < this.chunkBytes) break;
      }
    }
  }
}
