/** The Mesos v1 executor API: Calls, Events and the Call decoder. */
export * from './calls';
export * from './events';
export { decodeExecutorCall, parseExecutorCall } from './decode-call';
