import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLICE_CHARS, sendJsonParts } from './stream-json';

/** A server that answers every request with `parts` through sendJsonParts. */
async function serve(parts: readonly string[], prefix = '', suffix = ''): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => void sendJsonParts(res, parts, 'application/json', prefix, suffix));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('sendJsonParts', () => {
  it('writes the parts in order, in slices, as one chunked answer', async () => {
    const item = JSON.stringify({ id: 'x'.repeat(100) });
    const parts = ['[', ...Array.from({ length: Math.ceil((3 * SLICE_CHARS) / item.length) }, (_, i) => (i === 0 ? item : `,${item}`)), ']'];
    const { url, server } = await serve(parts);
    try {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      expect(await response.text()).toBe(parts.join(''));
    } finally {
      server.close();
    }
  });

  it('wraps the JSON in a prefix and a suffix (JSONP)', async () => {
    const { url, server } = await serve(['{"a":', '1}'], 'cb(', ');');
    try {
      expect(await (await fetch(url)).text()).toBe('cb({"a":1});');
    } finally {
      server.close();
    }
  });
});
