/**
 * The message decoders, for other edges that receive Mesos messages (the bus, the executor API).
 * Each is `(value, path) => T` and throws ProtocolError naming the field path.
 */
export { agentInfo, attribute, domain, filters, frameworkInfo, id, labels, offerConstraints, resource, resources } from './decode-common';
export { commandInfo, containerInfo, executorInfo, healthCheck, killPolicy, taskGroupInfo, taskInfo, taskState, taskStatus } from './decode-task';
export { operation } from './decode-operation';
