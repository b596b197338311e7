/**
 * @agora/bus — the master ↔ agent bus (DESIGN §3.4): a byte transport (NATS, or in-process for
 * `agora local`) and the typed, validating layer above it that master and agent use.
 */
export * from './transport';
export { InProcessTransport } from './in-process-transport';
export { NatsTransport, type NatsTransportOptions } from './nats-transport';
export { AgoraBus, MASTER_QUEUE, type InvalidMessageHandler, type Received } from './agora-bus';
