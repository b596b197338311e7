/**
 * The text form of resources, as written in the agent's `--resources` flag and in logs:
 *
 *     cpus:2;mem:1024;ports:[31000-32000,33000-34000];cpus(eng):1;bugs(debug):{a,b,c}
 *
 * `name(role):value` is a STATIC reservation for `role`; no role (or `*`) means the default
 * role, which is `*` (unreserved) unless the caller passes another. Scalars are decimals
 * rounded to 3 places; ranges are `[begin-end,...]`; sets are `{item,...}`.
 *
 * Everything else that makes up a resource's identity has an annotation, so that printing and
 * parsing round-trip (the flag syntax above is the common subset):
 *
 *     resource   := word annotation* ':' value
 *     annotation := '(' role ')'                                  STATIC reservation
 *                 | '(reservations: [' level (',' level)* '])'     a full stack, outermost first
 *                 | '(allocated: ' role ')'
 *                 | '{REV}' | '{SHARED}'
 *                 | '[' key ':' word (',' key ':' word)* ']'       disk: id principal path mode source root
 *     level      := '(' STATIC|DYNAMIC ',' role [',' [principal] [',' labels]] ')'
 *     labels     := '{' [word [':' word] (',' word [':' word])*] '}'
 *     word       := characters other than whitespace and ()[]{},;:"=\  -- or a JSON string literal
 *
 * e.g. `cpus(reservations: [(DYNAMIC,eng,alice,{team:web})])(allocated: eng/web){REV}:0.5`.
 */
import { ResourceParseError } from './errors';
import { compactResource } from './make';
import { checkReservationStack } from './normalize';
import { UNRESERVED_ROLE, type DiskInfo, type Label, type Reservation, type Resource, type ValueRange } from './resource';
import { validateRole } from './roles';
import { isBareChar } from './text-format';
import { milliFromText } from './units';

export { formatResource, formatResources, formatWord } from './text-format';

// ---- parsing ----------------------------------------------------------------------------------

/**
 * Parses the text form into resource entries (not yet merged: `Resources.parse` sums
 * duplicates). Throws ResourceParseError naming the bad fragment.
 */
export function parseResourceList(text: string, defaultRole: string = UNRESERVED_ROLE): Resource[] {
  const roleError = validateRole(defaultRole);
  if (roleError !== undefined) throw new ResourceParseError(`invalid default role: ${roleError}`, defaultRole);
  const kinds = new Map<string, Resource['kind']>();
  const out: Resource[] = [];
  for (const fragment of splitTopLevel(text)) {
    const r = new FragmentParser(fragment, defaultRole).parse();
    const seen = kinds.get(r.name);
    if (seen !== undefined && seen !== r.kind) {
      throw parseError(fragment, `'${r.name}' was already given as ${seen}, not ${r.kind}`);
    }
    kinds.set(r.name, r.kind);
    out.push(r);
  }
  return out;
}

function parseError(fragment: string, reason: string): ResourceParseError {
  return new ResourceParseError(`invalid resource '${fragment}': ${reason}`, fragment);
}

/** Splits on `;` outside brackets and quoted strings; drops blank fragments. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfQuoted(text, i) - 1;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth <= 0) {
      out.push(text.slice(start, i));
      start = i + 1;
      depth = 0;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Index just past the closing quote of the string literal starting at `open` (or the end). */
function endOfQuoted(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

interface Word {
  readonly text: string;
  readonly quoted: boolean;
}

class FragmentParser {
  private pos = 0;
  private reservations: readonly Reservation[] | undefined;
  private allocationRole: string | undefined;
  private revocable = false;
  private shared = false;
  private disk: DiskInfo | undefined;

  constructor(
    private readonly src: string,
    private readonly defaultRole: string,
  ) {}

  parse(): Resource {
    const name = this.word('a resource name').text;
    for (;;) {
      const c = this.peek();
      if (c === ':') break;
      if (c === '(') this.parenAnnotation();
      else if (c === '{') this.flagAnnotation();
      else if (c === '[') this.diskAnnotation();
      else if (c === '') this.fail("missing ':' and a value");
      else this.fail(`unexpected '${this.rest()}' after the name`);
    }
    this.pos++; // ':'
    const value = this.value();
    if (this.peek() !== '') this.fail(`unexpected '${this.rest()}' after the value`);
    const reservations = this.reservations ?? (this.defaultRole === UNRESERVED_ROLE ? [] : [{ type: 'STATIC' as const, role: this.defaultRole }]);
    const { allocationRole, revocable, shared, disk } = this;
    return compactResource({ name, ...value, reservations, allocationRole, revocable, shared, disk });
  }

  // -- annotations

  private parenAnnotation(): void {
    this.expect('(');
    const head = this.word('a role');
    if (!head.quoted && this.peek() === ':' && (head.text === 'allocated' || head.text === 'reservations')) {
      this.expect(':');
      if (head.text === 'allocated') {
        if (this.allocationRole !== undefined) this.fail('allocation role given twice');
        this.allocationRole = this.role(true);
      } else {
        this.setReservations(this.stack());
      }
    } else {
      this.checkRole(head.text, true);
      this.setReservations(head.text === UNRESERVED_ROLE ? [] : [{ type: 'STATIC', role: head.text }]);
    }
    this.expect(')');
  }

  private setReservations(stack: readonly Reservation[]): void {
    if (this.reservations !== undefined) this.fail('reservations given twice');
    const bad = checkReservationStack(stack);
    if (bad !== undefined) this.fail(bad);
    this.reservations = stack;
  }

  private stack(): Reservation[] {
    const stack: Reservation[] = [];
    this.expect('[');
    if (this.eat(']')) return stack;
    do {
      this.expect('(');
      const type = this.word('STATIC or DYNAMIC').text;
      if (type !== 'STATIC' && type !== 'DYNAMIC') this.fail(`reservation type '${type}' is not STATIC or DYNAMIC`);
      this.expect(',');
      const level: { -readonly [K in keyof Reservation]: Reservation[K] } = { type, role: this.role(false) };
      if (this.eat(',')) {
        const c = this.peek();
        if (c !== ',' && c !== ')') level.principal = this.word('a principal').text;
        if (this.eat(',')) level.labels = this.labels();
      }
      this.expect(')');
      stack.push(level);
    } while (this.eat(','));
    this.expect(']');
    return stack;
  }

  private labels(): Label[] {
    const labels: Label[] = [];
    this.expect('{');
    if (this.eat('}')) return labels;
    do {
      const key = this.word('a label key').text;
      labels.push(this.eat(':') ? { key, value: this.word('a label value').text } : { key });
    } while (this.eat(','));
    this.expect('}');
    return labels;
  }

  private flagAnnotation(): void {
    this.expect('{');
    const flag = this.word('REV or SHARED').text;
    if (flag === 'REV' && !this.revocable) this.revocable = true;
    else if (flag === 'SHARED' && !this.shared) this.shared = true;
    else this.fail(`unexpected annotation '{${flag}}'`);
    this.expect('}');
  }

  private diskAnnotation(): void {
    if (this.disk !== undefined) this.fail('disk info given twice');
    this.expect('[');
    const fields = new Map<string, string>();
    do {
      const key = this.word('a disk field').text;
      if (!['id', 'principal', 'path', 'mode', 'source', 'root'].includes(key)) this.fail(`unknown disk field '${key}'`);
      if (fields.has(key)) this.fail(`disk field '${key}' given twice`);
      this.expect(':');
      fields.set(key, this.word(`a value for '${key}'`).text);
    } while (this.eat(','));
    this.expect(']');
    const mode = fields.get('mode');
    if (mode !== undefined && mode !== 'RW' && mode !== 'RO') this.fail(`disk mode '${mode}' is not RW or RO`);
    const source = fields.get('source');
    if (source !== undefined && source !== 'PATH' && source !== 'MOUNT') this.fail(`disk source '${source}' is not PATH or MOUNT`);
    const root = fields.get('root');
    if (root !== undefined && source === undefined) this.fail("disk 'root' needs a 'source'");
    const disk: { -readonly [K in keyof DiskInfo]: DiskInfo[K] } = {};
    if (fields.has('id')) disk.persistenceId = fields.get('id');
    if (fields.has('principal')) disk.persistencePrincipal = fields.get('principal');
    if (fields.has('path')) disk.containerPath = fields.get('path');
    if (mode !== undefined) disk.mode = mode;
    if (source !== undefined) disk.source = root === undefined ? { type: source } : { type: source, root };
    this.disk = disk;
  }

  private role(allowStar: boolean): string {
    const role = this.word('a role').text;
    this.checkRole(role, allowStar);
    return role;
  }

  private checkRole(role: string, allowStar: boolean): void {
    const bad = !allowStar && role === UNRESERVED_ROLE ? "cannot reserve for role '*'" : validateRole(role);
    if (bad !== undefined) this.fail(`invalid role: ${bad}`);
  }

  // -- values

  private value(): Pick<Resource, 'kind' | 'milli' | 'ranges' | 'items'> {
    const c = this.peek();
    if (c === '[') return { kind: 'RANGES', ranges: this.ranges() };
    if (c === '{') return { kind: 'SET', items: this.items() };
    const text = this.rest();
    if (text === '') this.fail('value is missing');
    const parsed = milliFromText(text);
    if (!parsed.ok) return this.fail(parsed.reason);
    this.pos = this.src.length;
    return { kind: 'SCALAR', milli: parsed.milli };
  }

  private ranges(): ValueRange[] {
    const ranges: ValueRange[] = [];
    this.expect('[');
    if (this.eat(']')) return ranges;
    do {
      const begin = this.bound();
      this.expect('-');
      const end = this.bound();
      if (begin > end) this.fail(`range ${begin}-${end} has begin > end`);
      ranges.push({ begin, end });
    } while (this.eat(','));
    this.expect(']');
    return ranges;
  }

  private bound(): number {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.src.length && !/[\s,\]-]/.test(this.src[this.pos])) this.pos++;
    const token = this.src.slice(start, this.pos);
    if (token === '') this.fail(`expected a range like 31000-32000 at '${this.rest()}'`);
    if (!/^\d+$/.test(token)) this.fail(`range bound '${token}' is not a non-negative integer`);
    const n = Number(token);
    if (!Number.isSafeInteger(n)) this.fail(`range bound '${token}' is too large`);
    return n;
  }

  private items(): string[] {
    const items: string[] = [];
    this.expect('{');
    if (this.eat('}')) return items;
    do {
      if (this.peek() === '"') items.push(this.quoted());
      else {
        const start = this.pos;
        while (this.pos < this.src.length && !/[,}"]/.test(this.src[this.pos])) this.pos++;
        const item = this.src.slice(start, this.pos).trim();
        if (item === '') this.fail('set item is empty');
        items.push(item);
      }
    } while (this.eat(','));
    this.expect('}');
    return items;
  }

  // -- lexing

  private word(what: string): Word {
    if (this.peek() === '"') return { text: this.quoted(), quoted: true };
    const start = this.pos;
    while (this.pos < this.src.length && isBareChar(this.src[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`expected ${what} at '${this.rest()}'`);
    return { text: this.src.slice(start, this.pos), quoted: false };
  }

  private quoted(): string {
    const end = endOfQuoted(this.src, this.pos);
    const literal = this.src.slice(this.pos, end);
    try {
      const value: unknown = JSON.parse(literal);
      if (typeof value !== 'string') throw new TypeError('not a string');
      this.pos = end;
      return value;
    } catch (cause) {
      throw new ResourceParseError(`invalid resource '${this.src}': bad quoted string ${literal}`, this.src, { cause });
    }
  }

  /** The next non-space character ('' at the end), after skipping spaces. */
  private peek(): string {
    this.skipSpace();
    return this.pos < this.src.length ? this.src[this.pos] : '';
  }

  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) this.fail(this.pos < this.src.length ? `expected '${c}' at '${this.rest()}'` : `expected '${c}' at the end`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private rest(): string {
    return this.src.slice(this.pos).trim();
  }

  private fail(reason: string): never {
    throw parseError(this.src, reason);
  }
}
