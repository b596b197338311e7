/**
 * JSON text in parts, for the whole-state answers (`/state`, GET_STATE) at 100,000 tasks.
 *
 * Why: one `JSON.stringify` of the whole state builds one string of tens of megabytes while the
 * event loop waits, and re-serializes every task although almost none changed since the last
 * request. Here the renderers put stand-ins (RawJson) where an entity's text is already known —
 * a task's cached fragment, an agent serialized on its own — and jsonParts() writes the small
 * rest around them. The parts are written to the socket a slice at a time (see
 * stream-json.ts), so no single string of the whole answer is ever made.
 *
 * jsonParts(x).join('') is byte-identical to JSON.stringify(x) with each stand-in replaced by
 * the value its text was made from (render/json-parts.spec.ts checks it).
 */

/** A value's JSON text, made earlier; jsonParts() writes it as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * A stand-in typed as the value it stands for, so renderers keep their JSON types (TaskJson,
 * AgentJson) while a whole-state answer carries text. Only jsonParts() may see one:
 * JSON.stringify would write it as `{"text": ...}`.
 */
export function rawAs<T>(text: string): T {
  return new RawJson(text) as unknown as T;
}

/** `value` serialized as JSON.stringify would, as a list of strings to be concatenated. */
export function jsonParts(value: unknown): string[] {
  const out: string[] = [];
  write(value, out);
  return out;
}

/** Plain objects and arrays are walked (they may hold stand-ins); anything else is JSON.stringify's. */
function write(value: unknown, out: string[]): void {
  if (value instanceof RawJson) {
    out.push(value.text);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      // As JSON.stringify: what has no JSON form is null inside an array.
      if (isOmitted(item)) out.push('null');
      else write(item, out);
    }
    out.push(']');
    return;
  }
  if (isPlainObject(value)) {
    out.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (isOmitted(item)) continue;
      out.push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      write(item, out);
    }
    out.push('}');
    return;
  }
  // Strings, numbers (NaN and Infinity as null), booleans, null, and objects with toJSON.
  out.push(JSON.stringify(value) ?? 'null');
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
