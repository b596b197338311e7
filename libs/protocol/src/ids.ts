/**
 * Identifiers the master mints, in Mesos's formats so that tools which parse them keep working:
 * framework `<masterId>-0007` (counter zero-padded to 4 digits, wider when it outgrows them),
 * offer `<masterId>-O117`, agent `<masterId>-S12`. The master id is the leader's own id (a UUID
 * in Mesos); counters are the caller's, so these are pure functions.
 *
 * Also the UUIDs of status updates: protobuf `bytes` on the wire (16 raw bytes, base64 in JSON),
 * text UUIDs in logs and on the bus.
 */
import { ProtocolError } from './errors';
import { bytesToBase64, tryBase64ToBytes } from './json';

function counter(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} counter must be a non-negative integer, got ${n}`);
  return n;
}

export function frameworkIdFor(masterId: string, n: number): string {
  return `${masterId}-${String(counter(n, 'framework')).padStart(4, '0')}`;
}

export function offerIdFor(masterId: string, n: number): string {
  return `${masterId}-O${counter(n, 'offer')}`;
}

export function agentIdFor(masterId: string, n: number): string {
  return `${masterId}-S${counter(n, 'agent')}`;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `xxxxxxxx-xxxx-...` to its 16 bytes; throws ProtocolError for anything else. */
export function uuidToBytes(uuid: string, path = 'uuid'): Uint8Array {
  if (!UUID_TEXT.test(uuid)) throw new ProtocolError(path, 'expected a UUID');
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** 16 bytes to lowercase `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
export function bytesToUuid(bytes: Uint8Array, path = 'uuid'): string {
  if (bytes.length !== 16) throw new ProtocolError(path, `a UUID has 16 bytes, got ${bytes.length}`);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A text UUID as the base64 a `TaskStatus.uuid` carries. */
export function uuidToBase64(uuid: string): string {
  return bytesToBase64(uuidToBytes(uuid));
}

/** The text UUID inside a base64 `uuid` field; undefined when it is not base64 of 16 bytes. */
export function base64ToUuid(base64: string): string | undefined {
  const bytes = tryBase64ToBytes(base64);
  return bytes === undefined || bytes.length !== 16 ? undefined : bytesToUuid(bytes);
}
