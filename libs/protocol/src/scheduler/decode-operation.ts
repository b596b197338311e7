/**
 * Decoder for `Offer.Operation`, the steps of an ACCEPT. Each type carries its own sub-message,
 * named after the type in snake_case, which must be present.
 */
import { arrayOf, compact, type Decoder, enumOf, object, optional, required } from '../fields';
import { id, resources } from './decode-common';
import { executorInfo, taskGroupInfo, taskInfo } from './decode-task';
import { OPERATION_TYPES, type Operation, type OperationType } from './offer-types';

type JsonObject = Record<string, unknown>;

const bodies: { [T in OperationType]: (o: JsonObject, path: string) => Extract<Operation, { type: T }> } = {
  LAUNCH: (o, path) => ({
    type: 'LAUNCH',
    launch: compact({ task_infos: optional(required(o, 'launch', path, object), 'task_infos', `${path}.launch`, arrayOf(taskInfo)) }),
  }),
  LAUNCH_GROUP: (o, path) => {
    const body = required(o, 'launch_group', path, object);
    const p = `${path}.launch_group`;
    return {
      type: 'LAUNCH_GROUP',
      launch_group: { executor: required(body, 'executor', p, executorInfo), task_group: required(body, 'task_group', p, taskGroupInfo) },
    };
  },
  RESERVE: (o, path) => {
    const body = required(o, 'reserve', path, object);
    const p = `${path}.reserve`;
    return {
      type: 'RESERVE',
      reserve: compact({ resources: optional(body, 'resources', p, resources), source: optional(body, 'source', p, resources) }),
    };
  },
  UNRESERVE: (o, path) => ({
    type: 'UNRESERVE',
    unreserve: compact({ resources: optional(required(o, 'unreserve', path, object), 'resources', `${path}.unreserve`, resources) }),
  }),
  CREATE: (o, path) => ({
    type: 'CREATE',
    create: compact({ volumes: optional(required(o, 'create', path, object), 'volumes', `${path}.create`, resources) }),
  }),
  DESTROY: (o, path) => ({
    type: 'DESTROY',
    destroy: compact({ volumes: optional(required(o, 'destroy', path, object), 'volumes', `${path}.destroy`, resources) }),
  }),
};

const operationType = enumOf(OPERATION_TYPES);

export const operation: Decoder<Operation> = (v, path) => {
  const o = object(v, path);
  const type = required(o, 'type', path, operationType);
  const op: Operation = bodies[type](o, path);
  const opId = optional(o, 'id', path, id);
  if (opId !== undefined) op.id = opId;
  return op;
};
