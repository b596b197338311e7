/**
 * Plain-text tables for the operator commands: a header row and data rows, columns padded to
 * their widest cell and separated by two spaces, like `kubectl get` or `docker ps`. Pure.
 */

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => string;
}

export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells
    .map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** A scalar as Mesos shows it: at most three decimals, no trailing zeros (`0.1`, `2`, `1.5`). */
export function formatScalar(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return String(Number(value.toFixed(3)));
}

/** `used/total`, e.g. `0.5/4`. */
export function formatUsage(used: number | undefined, total: number | undefined): string {
  return `${formatScalar(used ?? 0)}/${formatScalar(total)}`;
}

/** Epoch seconds (as /slaves and /frameworks give them) as `2024-06-10 12:00:00` UTC. */
export function formatTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined || !Number.isFinite(epochSeconds) || epochSeconds <= 0) return '-';
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
