/**
 * Bytes on the bus: JSON in UTF-8, each message under 64 KiB. The limit keeps NATS's default
 * max payload (1 MiB) far away and makes a message that grows with cluster size (a re-register
 * listing every task) fail loudly in tests instead of in production; split such messages.
 */
import { ProtocolError } from '../errors';
import { fail } from '../fields';
import { decodeBusMessage, decodeBusPayload, type DecodedBusMessage } from './decode';
import type { BusKind, BusMessages } from './messages';

export const MAX_BUS_MESSAGE_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The payload to publish; throws ProtocolError when it would reach `maxBytes` (64 KiB). */
export function encodeBusMessage<K extends BusKind>(kind: K, message: BusMessages[K], maxBytes = MAX_BUS_MESSAGE_BYTES): Uint8Array {
  const bytes = encoder.encode(JSON.stringify(message));
  if (bytes.length >= maxBytes) {
    throw new ProtocolError(kind, `encoded message is ${bytes.length} bytes, the limit is under ${maxBytes}`);
  }
  return bytes;
}

function parse(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (e) {
    return fail(path, `malformed payload: ${(e as Error).message}`);
  }
}

/** A payload received on `subject`: parsed, then validated (decodeBusMessage). */
export function decodeBusBytes(subject: string, bytes: Uint8Array): DecodedBusMessage {
  return decodeBusMessage(subject, parse(bytes, subject));
}

/** A reply payload of `kind` (`registered`, `pong`): parsed, then validated. */
export function decodeBusReply<K extends BusKind>(kind: K, bytes: Uint8Array): BusMessages[K] {
  return decodeBusPayload(kind, parse(bytes, kind));
}
