/** The master ↔ agent bus: subjects, messages, validation and size-checked encoding. */
export * from './subjects';
export * from './messages';
export { decodeBusMessage, decodeBusPayload, type DecodedBusMessage } from './decode';
export { decodeBusBytes, decodeBusReply, encodeBusMessage, MAX_BUS_MESSAGE_BYTES } from './codec';
