/**
 * @agora/protocol — wire types and codecs: the Mesos v1 scheduler and executor APIs (calls,
 * events, message shapes, validation), RecordIO, ASCII JSON and base64, the ids the master
 * mints, task states, and the master ↔ agent bus. Pure: no I/O, no clock, no randomness. See ../README.md.
 */
export { ProtocolError } from './errors';
export { DEFAULT_MAX_RECORD_BYTES, encodeRecord, RecordIODecoder, type RecordIODecoderOptions } from './recordio';
export { base64ToBytes, base64ToText, bytesToBase64, textToBase64, toAsciiJson, tryBase64ToBytes } from './json';
export { agentIdFor, base64ToUuid, bytesToUuid, frameworkIdFor, offerIdFor, uuidToBase64, uuidToBytes } from './ids';
export {
  isTerminalState,
  stateForFramework,
  TASK_STATE_NUMBERS,
  TASK_STATES,
  TASK_STATUS_REASONS,
  TASK_STATUS_SOURCES,
  type TaskState,
  TaskStatusReason,
  type TaskStatusSource,
} from './task-state';
export type { Decoder, JsonObject } from './fields';
export * from './scheduler';
export * from './operator';
export * from './bus';
export * from './executor';
