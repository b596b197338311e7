// A tiny custom executor for the agent's tests: it speaks the v1 executor API with plain
// node:http, the way a framework's own executor would. It reports every event it receives to
// its scheduler as a MESSAGE whose data is JSON ({"event": "LAUNCH", ...}), so a test sees
// through the master what the executor saw. TINY_MODE picks its behaviour:
//   run (default)    LAUNCH → TASK_RUNNING; KILL → TASK_KILLED; SHUTDOWN → TASK_KILLED each, exit 0
//   finish           LAUNCH → TASK_RUNNING, then TASK_FINISHED
//   silent           never subscribes (registration timeout)
//   ignore-shutdown  like run, but SHUTDOWN is ignored (the agent kills it after the grace)
// Scheduler messages steer it: "finish <task>", "fail <task>", "exit <code>".
// With MESOS_CHECKPOINT=1 it outlives its agent, as Mesos's checkpointing executors do: when the
// stream ends or the agent cannot be reached it subscribes again every 100 ms, listing its
// unacknowledged tasks and updates (TINY_RECONNECT=0: it stays alive but never comes back).
'use strict';
const http = require('node:http');
const { randomBytes } = require('node:crypto');

const [host, port] = (process.env.MESOS_AGENT_ENDPOINT || '').split(':');
const frameworkId = { value: process.env.MESOS_FRAMEWORK_ID };
const executorId = { value: process.env.MESOS_EXECUTOR_ID };
const mode = process.env.TINY_MODE || 'run';
const checkpoint = process.env.MESOS_CHECKPOINT === '1';
const reconnect = checkpoint && process.env.TINY_RECONNECT !== '0';
const live = new Set();
/** Tasks launched whose first update was not acknowledged yet, and updates not acknowledged yet. */
const unackedTasks = new Map();
const unackedUpdates = new Map();

function call(body, onResponse, onError) {
  const req = http.request({ host, port: Number(port), path: '/api/v1/executor', method: 'POST', headers: { 'Content-Type': 'application/json' } }, onResponse);
  req.on('error', (e) => (onError ? onError(e) : console.error(`call failed: ${e.message}`)));
  req.end(JSON.stringify({ framework_id: frameworkId, executor_id: executorId, ...body }));
}

function report(event) {
  const data = Buffer.from(JSON.stringify(event)).toString('base64');
  call({ type: 'MESSAGE', message: { data } }, (res) => res.resume());
}

function update(taskId, state, message) {
  const uuid = randomBytes(16).toString('base64');
  if (state !== 'TASK_RUNNING') live.delete(taskId);
  const status = { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid, ...(message ? { message } : {}) };
  unackedUpdates.set(uuid, status);
  call({ type: 'UPDATE', update: { status } }, (res) => {
    res.resume();
    report({ event: 'UPDATE_ANSWERED', task_id: taskId, state, uuid, status: res.statusCode });
  });
}

function handle(event) {
  switch (event.type) {
    case 'SUBSCRIBED':
      report({ event: 'SUBSCRIBED', container_id: event.subscribed.container_id, agent_id: event.subscribed.agent_info.id, env: mesosEnv() });
      return;
    case 'LAUNCH': {
      const taskId = event.launch.task.task_id.value;
      report({ event: 'LAUNCH', task_id: taskId });
      live.add(taskId);
      unackedTasks.set(taskId, event.launch.task);
      update(taskId, 'TASK_RUNNING');
      if (mode === 'finish') update(taskId, 'TASK_FINISHED', 'done');
      return;
    }
    case 'KILL':
      report({ event: 'KILL', task_id: event.kill.task_id.value, kill_policy: event.kill.kill_policy });
      update(event.kill.task_id.value, 'TASK_KILLED');
      return;
    case 'ACKNOWLEDGED':
      unackedUpdates.delete(event.acknowledged.uuid);
      unackedTasks.delete(event.acknowledged.task_id.value);
      report({ event: 'ACKNOWLEDGED', task_id: event.acknowledged.task_id.value, uuid: event.acknowledged.uuid });
      return;
    case 'MESSAGE': {
      const text = Buffer.from(event.message.data, 'base64').toString();
      report({ event: 'MESSAGE', text });
      const [verb, arg] = text.split(' ');
      if (verb === 'finish') update(arg, 'TASK_FINISHED');
      if (verb === 'fail') update(arg, 'TASK_FAILED');
      if (verb === 'exit') setTimeout(() => process.exit(Number(arg)), 50);
      return;
    }
    case 'SHUTDOWN':
      report({ event: 'SHUTDOWN' });
      if (mode === 'ignore-shutdown') return;
      for (const taskId of [...live]) update(taskId, 'TASK_KILLED');
      setTimeout(() => process.exit(0), 200);
      return;
    default:
      report({ event: event.type });
  }
}

function mesosEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('MESOS_')));
}

/** RecordIO: `<length>\n<bytes>` repeated; chunks may split or join records anywhere. */
function subscribe() {
  const again = () => (reconnect ? setTimeout(subscribe, 100) : undefined);
  const unacknowledged = { unacknowledged_tasks: [...unackedTasks.values()], unacknowledged_updates: [...unackedUpdates.values()].map((status) => ({ framework_id: frameworkId, status })) };
  call({ type: 'SUBSCRIBE', subscribe: checkpoint ? unacknowledged : {} }, (res) => {
    if (res.statusCode !== 200) {
      console.error(`SUBSCRIBE answered ${res.statusCode}`);
      if (reconnect) {
        res.resume();
        again();
        return;
      }
      process.exit(9);
    }
    let buffer = Buffer.alloc(0);
    res.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline < 0) return;
        const length = Number(buffer.subarray(0, newline).toString());
        if (buffer.length < newline + 1 + length) return;
        const record = buffer.subarray(newline + 1, newline + 1 + length).toString();
        buffer = buffer.subarray(newline + 1 + length);
        handle(JSON.parse(record));
      }
    });
    let ended = false;
    const gone = () => {
      if (ended) return;
      ended = true;
      if (!checkpoint) process.exit(0);
      // The agent went (or will be back): a checkpointing executor waits for it.
      if (reconnect) again();
      else setInterval(() => undefined, 1000);
    };
    res.on('end', gone);
    // A killed agent cuts the stream without ending it.
    res.on('close', gone);
    res.on('error', () => undefined);
  }, (e) => {
    console.error(`SUBSCRIBE failed: ${e.message}`);
    if (reconnect) again();
  });
}

if (mode === 'silent') setInterval(() => undefined, 1000);
else subscribe();
