import type { Request } from 'express';
import { acceptsJson, readJsonCall, type JsonCallApi } from './json-call';

class TestProtocolError extends Error {}
const API: JsonCallApi = { api: 'test', message: 'test::Call', isProtocolError: (e): e is Error => e instanceof TestProtocolError };
const parse = (text: string): unknown => {
  if (text === 'bad') throw new TestProtocolError('call.type: is required');
  return JSON.parse(text);
};
const req = (contentType: string | undefined, body: unknown): Request =>
  ({ headers: contentType === undefined ? {} : { 'content-type': contentType }, body }) as unknown as Request;

describe('readJsonCall', () => {
  it('parses a JSON body, raw or as text, with or without a charset', () => {
    expect(readJsonCall(req('application/json', Buffer.from('{"a":1}')), API, parse)).toEqual({ a: 1 });
    expect(readJsonCall(req('application/json; charset=utf-8', '{"a":2}'), API, parse)).toEqual({ a: 2 });
  });

  it.each<[string, Request, number, RegExp]>([
    ['no Content-Type', req(undefined, Buffer.from('{}')), 400, /to be present/],
    ['protobuf', req('application/x-protobuf', Buffer.from('x')), 415, /JSON test API/],
    ['text', req('text/plain', Buffer.from('x')), 415, /got 'text\/plain'/],
    ['an empty body', req('application/json', Buffer.from('  ')), 400, /body is empty/],
    ['a protocol error', req('application/json', Buffer.from('bad')), 400, /^Failed to validate test::Call: call.type: is required$/],
  ])('refuses %s', (_name, request, status, message) => {
    let thrown: { getStatus(): number; message: string } | undefined;
    try {
      readJsonCall(request, API, parse);
    } catch (e) {
      thrown = e as { getStatus(): number; message: string };
    }
    expect(thrown?.getStatus()).toBe(status);
    expect(thrown?.message).toMatch(message);
  });
});

describe('acceptsJson', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['text/html, */*;q=0.1', true],
    ['application/*', true],
    ['application/x-protobuf', false],
  ])('%p → %p', (accept, expected) => {
    expect(acceptsJson(accept)).toBe(expected);
  });
});
