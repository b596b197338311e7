/**
 * The master's address as users write it: `http://host:5050`, `https://host`, or just
 * `host:port` (as mesos-execute's `--master` takes it). Pure, so args.ts and the environment
 * reader validate both sources the same way.
 */

/** Where the CLI looks for a master when neither --master nor AGORA_MASTER says. */
export const DEFAULT_MASTER_URL = 'http://127.0.0.1:5050';

/**
 * The canonical form of a master address — scheme, host, port and any path prefix (a master
 * behind a proxy), without a trailing slash — or an Error whose message completes
 * "option '--master' ..." or "environment variable AGORA_MASTER ...".
 */
export function normalizeMasterUrl(raw: string): string | Error {
  const text = raw.trim();
  if (text === '') return new Error('needs a URL such as http://127.0.0.1:5050');
  // `host:port` has no scheme; URL would read `host:` as one.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return new Error(`must be a URL such as http://127.0.0.1:5050, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return new Error(`must be an http:// or https:// URL, got '${raw}'`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return new Error(`must not carry credentials, a query or a fragment, got '${raw}'`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** `path` (e.g. `/api/v1/scheduler`) on the master at `base`, keeping a proxy's path prefix. */
export function masterEndpoint(base: string, path: string): URL {
  return new URL(`${base}${path.startsWith('/') ? path : `/${path}`}`);
}
