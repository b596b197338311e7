/**
 * Agent attributes in the text form of Mesos's `--attributes` flag:
 *
 *     rack:r1;zone:a;level:10;keys:[1000-1500];s:{a,b}
 *
 * Each `name:value` pair becomes a v1 Attribute. The value's shape picks the type, as Mesos's
 * `values::parse` does: `[b-e,...]` is RANGES, `{x,y}` is SET, a decimal number is SCALAR and
 * anything else is TEXT. Attributes are passed to the master uninterpreted; offer constraints
 * match on them. Pure: no I/O.
 */
import type { Attribute } from '@agora/protocol';

/** Text that is not a valid attribute list; the message names the bad pair. */
export class AttributeParseError extends Error {
  override readonly name = 'AttributeParseError';
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const RANGE = /^(\d+)\s*-\s*(\d+)$/;

/** Parses `name:value;...`; empty pairs (`a:1;;b:2`) are skipped as Mesos's tokenizer does. */
export function parseAttributes(text: string): Attribute[] {
  const out: Attribute[] = [];
  for (const raw of text.split(';')) {
    const pair = raw.trim();
    if (pair === '') continue;
    // Split at the first colon only, so TEXT values may hold colons (`url:http://x`).
    const colon = pair.indexOf(':');
    if (colon < 0) throw new AttributeParseError(`invalid attribute '${pair}': expected name:value`);
    const name = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    if (name === '') throw new AttributeParseError(`invalid attribute '${pair}': the name is empty`);
    if (value === '') throw new AttributeParseError(`invalid attribute '${pair}': the value is empty`);
    out.push(parseValue(name, value, pair));
  }
  return out;
}

function parseValue(name: string, value: string, pair: string): Attribute {
  if (value.startsWith('[')) return { name, type: 'RANGES', ranges: { range: parseRanges(value, pair) } };
  if (value.startsWith('{')) return { name, type: 'SET', set: { item: parseSet(value, pair) } };
  if (DECIMAL.test(value)) return { name, type: 'SCALAR', scalar: { value: Number(value) } };
  return { name, type: 'TEXT', text: { value } };
}

function parseRanges(value: string, pair: string): { begin: number; end: number }[] {
  if (!value.endsWith(']')) throw new AttributeParseError(`invalid attribute '${pair}': ranges must end with ']'`);
  const body = value.slice(1, -1).trim();
  if (body === '') return [];
  return body.split(',').map((part) => {
    const m = RANGE.exec(part.trim());
    if (m === null) throw new AttributeParseError(`invalid attribute '${pair}': '${part.trim()}' is not a range like 1000-1500`);
    const begin = Number(m[1]);
    const end = Number(m[2]);
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin > end) {
      throw new AttributeParseError(`invalid attribute '${pair}': range ${part.trim()} must have begin <= end`);
    }
    return { begin, end };
  });
}

function parseSet(value: string, pair: string): string[] {
  if (!value.endsWith('}')) throw new AttributeParseError(`invalid attribute '${pair}': sets must end with '}'`);
  const body = value.slice(1, -1).trim();
  if (body === '') return [];
  return body.split(',').map((item) => {
    const trimmed = item.trim();
    if (trimmed === '') throw new AttributeParseError(`invalid attribute '${pair}': a set item is empty`);
    return trimmed;
  });
}

/**
 * The v0 form of attributes in the agent's `/state` (Mesos `model(Attributes)`): one key per
 * attribute with a number, a string, or ranges and sets printed as `[a-b, c-d]` and `{x, y}`.
 */
export function attributesToV0(attributes: readonly Attribute[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attributes) {
    switch (a.type) {
      case 'SCALAR':
        out[a.name] = a.scalar?.value ?? 0;
        break;
      case 'RANGES':
        out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
        break;
      case 'SET':
        out[a.name] = `{${(a.set?.item ?? []).join(', ')}}`;
        break;
      case 'TEXT':
        out[a.name] = a.text?.value ?? '';
        break;
    }
  }
  return out;
}
