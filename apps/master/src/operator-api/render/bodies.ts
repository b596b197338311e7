/**
 * Reading the bodies of the v0 write endpoints, with Mesos's wording. Like the query parsers,
 * they return a result instead of throwing; the service turns a problem into a 400.
 */
import type { WeightInfo } from '@agora/protocol';
import type { Parsed } from './query';

const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });

/** Long bodies are cut in messages, so a 400 never echoes megabytes back. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** `/weights` PUT: `[{"role": "r1", "weight": 2.0}, ...]`. Role names and weights are checked later. */
export function parseWeightsBody(text: string): Parsed<WeightInfo[]> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return problem(`Failed to parse update weights request JSON '${clip(text)}': ${(e as Error).message}`);
  }
  const bad = (reason: string): Parsed<never> => problem(`Failed to convert weights JSON array to protobuf '${clip(text)}': ${reason}`);
  if (!Array.isArray(json)) return bad('expected a JSON array of {"role": ..., "weight": ...}');
  const out: WeightInfo[] = [];
  for (const [i, item] of json.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad(`[${i}]: expected an object`);
    const { role, weight } = item as Record<string, unknown>;
    if (typeof role !== 'string') return bad(`[${i}].role: expected a string`);
    const value = typeof weight === 'string' && weight.trim() !== '' ? Number(weight) : weight;
    if (typeof value !== 'number' || Number.isNaN(value)) return bad(`[${i}].weight: expected a number`);
    out.push({ role, weight: value });
  }
  return { ok: true, value: out };
}

/** `/teardown` POST: the form `frameworkId=<id>`. */
export function parseTeardownBody(text: string): Parsed<string> {
  const frameworkId = new URLSearchParams(text).get('frameworkId');
  if (frameworkId === null || frameworkId === '') return problem("Missing 'frameworkId' query parameter in the request body");
  return { ok: true, value: frameworkId };
}
