/**
 * Printing the text form; the grammar and the parser are in text.ts. `parse(format(x))` gives
 * back `x` for every canonical resource.
 */
import { formatRanges } from './ranges';
import type { DiskInfo, Label, Reservation, Resource } from './resource';
import { formatMilli } from './units';

const SPECIAL = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':', '"', '=', '\\']);

/** Characters a bare word may hold: anything but whitespace, controls and the syntax above. */
export function isBareChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code >= 0x20 && code !== 0x7f && !SPECIAL.has(ch) && !/\s/.test(ch);
}

function isBare(s: string): boolean {
  if (s.length === 0) return false;
  for (const ch of s) if (!isBareChar(ch)) return false;
  return true;
}

/** A word as written in the text form: bare when safe, otherwise a JSON string literal. */
export function formatWord(s: string): string {
  return isBare(s) ? s : JSON.stringify(s);
}

function formatLabels(labels: readonly Label[]): string {
  const parts = labels.map((l) => (l.value === undefined ? formatWord(l.key) : `${formatWord(l.key)}:${formatWord(l.value)}`));
  return `{${parts.join(',')}}`;
}

function formatLevel(res: Reservation): string {
  let s = `(${res.type},${formatWord(res.role)}`;
  const hasLabels = res.labels !== undefined && res.labels.length > 0;
  if (res.principal !== undefined || hasLabels) s += `,${res.principal === undefined ? '' : formatWord(res.principal)}`;
  if (hasLabels && res.labels !== undefined) s += `,${formatLabels(res.labels)}`;
  return `${s})`;
}

function formatDisk(disk: DiskInfo): string {
  const fields: Array<[string, string | undefined]> = [
    ['id', disk.persistenceId],
    ['principal', disk.persistencePrincipal],
    ['path', disk.containerPath],
    ['mode', disk.mode],
    ['source', disk.source?.type],
    ['root', disk.source?.root],
  ];
  const parts = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:${formatWord(v ?? '')}`);
  return `[${parts.join(',')}]`;
}

function formatValue(r: Resource): string {
  switch (r.kind) {
    case 'SCALAR':
      return formatMilli(r.milli ?? 0);
    case 'RANGES':
      return formatRanges(r.ranges ?? []);
    case 'SET':
      return `{${(r.items ?? []).map(formatWord).join(',')}}`;
  }
}

export function formatResource(r: Resource): string {
  let s = formatWord(r.name);
  const stack = r.reservations;
  const plainStatic =
    stack.length === 1 && stack[0].type === 'STATIC' && stack[0].principal === undefined && !stack[0].labels?.length;
  if (plainStatic) s += `(${formatWord(stack[0].role)})`;
  else if (stack.length > 0) s += `(reservations: [${stack.map(formatLevel).join(',')}])`;
  if (r.allocationRole !== undefined) s += `(allocated: ${formatWord(r.allocationRole)})`;
  if (r.revocable === true) s += '{REV}';
  if (r.shared === true) s += '{SHARED}';
  if (r.disk !== undefined) s += formatDisk(r.disk);
  return `${s}:${formatValue(r)}`;
}

/** `;`-joined, in the given order (a `Resources` list is sorted by name, so the text is stable). */
export function formatResources(list: Iterable<Resource>): string {
  const parts: string[] = [];
  for (const r of list) parts.push(formatResource(r));
  return parts.join(';');
}
