/**
 * The Mesos v1 operator API (master.proto): Calls an operator POSTs to `/api/v1`, the decoder,
 * the synchronous Responses and the Events of the SUBSCRIBE stream.
 */
export * from './calls';
export * from './responses';
export * from './events';
export { decodeOperatorCall, parseOperatorCall } from './decode-operator-call';
