import { masterEndpoint, normalizeMasterUrl } from './master-url';

describe('normalizeMasterUrl', () => {
  it.each([
    ['http://127.0.0.1:5050', 'http://127.0.0.1:5050'],
    ['http://127.0.0.1:5050/', 'http://127.0.0.1:5050'],
    ['127.0.0.1:5050', 'http://127.0.0.1:5050'],
    ['master.example', 'http://master.example'],
    ['HTTPS://Master.Example:443/', 'https://master.example'],
    ['http://proxy/mesos/', 'http://proxy/mesos'],
    ['http://[::1]:5050', 'http://[::1]:5050'],
    ['  http://m:5050  ', 'http://m:5050'],
  ])('%p is %p', (raw, expected) => {
    expect(normalizeMasterUrl(raw)).toBe(expected);
  });

  it.each([
    ['', 'needs a URL such as http://127.0.0.1:5050'],
    ['ftp://m', "must be an http:// or https:// URL, got 'ftp://m'"],
    ['http://a b', "must be a URL such as http://127.0.0.1:5050, got 'http://a b'"],
    ['http://u:p@m:5050', "must not carry credentials, a query or a fragment, got 'http://u:p@m:5050'"],
    ['http://m:5050/?x=1', "must not carry credentials, a query or a fragment, got 'http://m:5050/?x=1'"],
  ])('refuses %p', (raw, message) => {
    const result = normalizeMasterUrl(raw);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe(message);
  });
});

describe('masterEndpoint', () => {
  it('puts the path under any proxy prefix', () => {
    expect(masterEndpoint('http://m:5050', '/api/v1/scheduler').toString()).toBe('http://m:5050/api/v1/scheduler');
    expect(masterEndpoint('http://proxy/mesos', '/slaves').toString()).toBe('http://proxy/mesos/slaves');
  });
});
