import type { IncomingMessage, ServerResponse } from 'node:http';
import { StandbyGate } from './standby-gate';

interface Answer {
  passed: boolean;
  status?: number;
  location?: string;
  body?: string;
}

function ask(gate: StandbyGate, url: string): Answer {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  const res = {
    statusCode: 200,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    end: (text: string) => (body = text),
  };
  const req = { url, resume: () => undefined };
  const passed = !gate.gate(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  return passed ? { passed } : { passed, status: res.statusCode, location: headers.location, body };
}

describe('StandbyGate', () => {
  it.each([
    // [case, leading, known leader, url, passes through, status, Location]
    ['the leader lets everything through', true, 'l:5050', '/state', true, undefined, undefined],
    ['the leader lets /redirect through (answered by the operator API)', true, 'l:5050', '/redirect', true, undefined, undefined],
    ['a standby redirects the scheduler API', false, 'l:5050', '/api/v1/scheduler', false, 307, '//l:5050/api/v1/scheduler'],
    ['a standby keeps the query', false, 'l:5050', '/master/state?jsonp=cb', false, 307, '//l:5050/master/state?jsonp=cb'],
    ['a standby redirects the operator API', false, 'l:5050', '/api/v1', false, 307, '//l:5050/api/v1'],
    ['/redirect goes to the leader itself', false, 'l:5050', '/redirect', false, 307, '//l:5050'],
    ['/master/redirect too', false, 'l:5050', '/master/redirect/', false, 307, '//l:5050'],
    ['/health is local', false, 'l:5050', '/health', true, undefined, undefined],
    ['/version is local', false, 'l:5050', '/version', true, undefined, undefined],
    ['/flags is local', false, undefined, '/flags?x=1', true, undefined, undefined],
    ['no leader known: 503', false, undefined, '/state', false, 503, undefined],
    ['no leader known: 503 on /redirect', false, undefined, '/redirect', false, 503, undefined],
  ] as const)('%s', (_case, leading, leader, url, passes, status, location) => {
    const gate = new StandbyGate();
    gate.leading = leading;
    gate.leader = leader;
    const answer = ask(gate, url);
    expect([answer.passed, answer.status, answer.location]).toEqual([passes, status, location]);
    if (!answer.passed) expect(answer.body).toBeTruthy();
  });
});
