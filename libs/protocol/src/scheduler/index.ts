/**
 * The Mesos v1 scheduler API: message types, Calls and Events, and the Call decoder.
 */
export * from './mesos-types';
export * from './task-types';
export * from './offer-types';
export * from './calls';
export * from './events';
export { decodeCall, parseCall } from './decode-call';
export { healthCheckProblem } from './health-check';
export * as decoders from './decoders';
