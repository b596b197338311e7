/**
 * Reading query parameters. Parsers return a result instead of throwing, so they stay free of
 * HTTP; OperatorService turns a problem into a 400 whose text names the parameter. Parameters
 * an endpoint does not know are ignored (tools add cache busters such as `_=<time>`).
 */
import type { QueryParams } from './inputs';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

export const invalid = (name: string, expected: string, got: unknown): Parsed<never> => ({
  ok: false,
  problem: `Invalid query parameter '${name}': expected ${expected}, got '${String(got)}'`,
});

/** The value of `name`; when it repeats, the first. */
export function single(query: QueryParams, name: string): string | undefined {
  const value = query[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** A non-negative integer, `fallback` when absent. */
export function nonNegativeInteger(query: QueryParams, name: string, fallback: number): Parsed<number> {
  const text = single(query, name);
  if (text === undefined) return ok(fallback);
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) return invalid(name, 'a non-negative integer', text);
  return ok(value);
}

/** A duration as Mesos writes it (`5secs`, `100ms`, `1.5mins`), or undefined when absent. */
export function optionalDuration(query: QueryParams, name: string): Parsed<string | undefined> {
  const text = single(query, name);
  if (text === undefined) return ok(undefined);
  if (!/^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/.test(text)) return invalid(name, 'a duration such as 5secs', text);
  return ok(text);
}

/**
 * The JSONP callback: a JavaScript name or dotted path (`cb`, `angular.callbacks._0`), so the
 * answer can only ever call a function, never run text the requester chose.
 */
export function jsonpCallback(query: QueryParams): Parsed<string | undefined> {
  const text = single(query, 'jsonp');
  if (text === undefined) return ok(undefined);
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(text) || text.length > 128) {
    return invalid('jsonp', 'a JavaScript function name', text);
  }
  return ok(text);
}

/** The JSONP body Mesos writes: `cb(<json>);`. */
export function wrapJsonp(callback: string, body: unknown): string {
  return `${callback}(${JSON.stringify(body)});`;
}
