/**
 * RecordIO, the framing of Mesos event streams: each record is its length in bytes as decimal
 * ASCII digits, a line feed, then exactly that many bytes — `20\n{"type":"HEARTBEAT"}`. There is
 * no separator after a record. HTTP chunk boundaries mean nothing: a proxy may split or merge
 * chunks anywhere, so the decoder accepts bytes in pieces of any size and yields only complete
 * records.
 */
import { ProtocolError } from './errors';

const LF = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Largest record the decoder accepts unless told otherwise (Mesos events are far smaller). */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** More digits than this cannot be a sane length; it also stops an endless digit stream. */
const MAX_LENGTH_DIGITS = 15;

const encoder = new TextEncoder();

/** One record: the UTF-8 bytes of `record` (or the bytes themselves) behind their length. */
export function encodeRecord(record: string | Uint8Array): Uint8Array {
  const body = typeof record === 'string' ? encoder.encode(record) : record;
  if (body.length === 0) throw new ProtocolError('recordio', 'a record must not be empty');
  const head = encoder.encode(`${body.length}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export interface RecordIODecoderOptions {
  /** Records announcing more bytes than this are refused (default 16 MiB). */
  readonly maxRecordBytes?: number;
}

/**
 * Incremental decoder. Feed it chunks as they arrive; each call returns the records completed by
 * that chunk, as bytes (`decode`) or UTF-8 text (`decodeText`). After an error the stream is
 * unusable: the decoder keeps throwing, because the framing has been lost.
 */
export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  /** Digits of the length being read (empty while a body is being filled). */
  private lengthDigits = '';
  /** The body being filled, allocated at its announced length. */
  private body: Uint8Array | undefined;
  private filled = 0;
  private failure: ProtocolError | undefined;

  constructor(options: RecordIODecoderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** The records this chunk completes, in order. */
  decode(chunk: Uint8Array): Uint8Array[] {
    if (this.failure !== undefined) throw this.failure;
    const records: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body === undefined) {
        i = this.readLength(chunk, i);
        continue;
      }
      const take = Math.min(this.body.length - this.filled, chunk.length - i);
      this.body.set(chunk.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.body.length) {
        records.push(this.body);
        this.body = undefined;
        this.filled = 0;
      }
    }
    return records;
  }

  /** Like `decode`, with every record read as UTF-8. */
  decodeText(chunk: Uint8Array): string[] {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return this.decode(chunk).map((record) => {
      try {
        return decoder.decode(record);
      } catch (cause) {
        throw new ProtocolError('recordio', 'record is not valid UTF-8', { cause });
      }
    });
  }

  /** True when no partial record is buffered: the stream may end here cleanly. */
  get idle(): boolean {
    return this.body === undefined && this.lengthDigits === '';
  }

  /** Reads length digits from `chunk[i..]`; returns the next index to read. */
  private readLength(chunk: Uint8Array, i: number): number {
    while (i < chunk.length) {
      const byte = chunk[i++];
      if (byte === LF) {
        this.startBody();
        return i;
      }
      if (byte < DIGIT_0 || byte > DIGIT_9) {
        this.fail(`record length must be decimal digits, got byte 0x${byte.toString(16).padStart(2, '0')}`);
      }
      if (this.lengthDigits.length >= MAX_LENGTH_DIGITS) this.fail(`record length has more than ${MAX_LENGTH_DIGITS} digits`);
      this.lengthDigits += String.fromCharCode(byte);
    }
    return i;
  }

  private startBody(): void {
    if (this.lengthDigits === '') this.fail('record length is missing before the line feed');
    const length = Number(this.lengthDigits);
    if (length === 0) this.fail('record length must not be 0');
    if (length > this.maxRecordBytes) this.fail(`record length ${length} exceeds the maximum of ${this.maxRecordBytes} bytes`);
    this.lengthDigits = '';
    this.body = new Uint8Array(length);
    this.filled = 0;
  }

  private fail(reason: string): never {
    this.failure = new ProtocolError('recordio', reason);
    throw this.failure;
  }
}
