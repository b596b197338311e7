// Reading fields out of a benchmark's JSON, which arrives as `unknown`: every miss is a
// ResultFormatError that names the field, so a changed or truncated result says what is wrong.

export class ResultFormatError extends Error {
  override readonly name = 'ResultFormatError';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `${typeof value} ${String(value)}`;
}

/** The value at a dotted `path` ("slurm.per_sec", "spawn.0.method"), or undefined where the path stops. */
export function at(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) value = (value as Record<string, unknown>)[key];
    else return undefined;
  }
  return value;
}

export function numberAt(root: unknown, path: string): number {
  const value = at(root, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ResultFormatError(`${path}: expected a number, found ${describe(value)}`);
  return value;
}

export function optionalNumberAt(root: unknown, path: string): number | undefined {
  return at(root, path) === undefined ? undefined : numberAt(root, path);
}

export function optionalStringAt(root: unknown, path: string): string | undefined {
  const value = at(root, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ResultFormatError(`${path}: expected a string, found ${describe(value)}`);
  return value;
}

export function numbersAt(root: unknown, path: string): number[] {
  const value = at(root, path);
  if (!Array.isArray(value)) throw new ResultFormatError(`${path}: expected an array of numbers, found ${describe(value)}`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ResultFormatError(`${path}[${i}]: expected a number, found ${describe(item)}`);
    return item;
  });
}

export function arrayAt(root: unknown, path: string): unknown[] {
  const value = at(root, path);
  if (!Array.isArray(value)) throw new ResultFormatError(`${path}: expected an array, found ${describe(value)}`);
  return value;
}
