/**
 * Allocator benchmark (issue 2): agents × frameworks × roles, three phases per cell.
 *
 *   full      a cycle over a cluster whose resources are all free
 *   declined  a cycle right after every offer of the previous one was declined with a long filter
 *   idle      a cycle when everything is allocated and nothing changed
 *
 * Prints a table and writes bench/results/allocator.json. Figures only; nothing here asserts a
 * time. Run with `npm run bench:allocator` (add `-- --quick` for the small cells only, or
 * `-- --agents 50000 --frameworks 1000 --roles 1` for one cell).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Resources } from '@agora/resources';
import { Allocator, type AllocationResult } from '@agora/allocator';

interface Row {
  agents: number;
  frameworks: number;
  roles: number;
  phase: 'full' | 'declined' | 'idle';
  p50_ms: number;
  max_ms: number;
  heap_mb: number;
  offers: number;
}

const AGENT_RESOURCES = 'cpus:24;mem:4096;disk:4096;ports:[31000-32000]';
const LONG_FILTER_MS = 365 * 24 * 3600 * 1000;

const quick = process.argv.includes('--quick');
/** `--agents 50000` (likewise --frameworks, --roles) runs only the cells with that value. */
function only(flag: string, all: number[]): number[] {
  const i = process.argv.indexOf(flag);
  if (i < 0) return all;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer`);
  return [value];
}
const agentCounts = only('--agents', quick ? [1_000, 10_000] : [1_000, 10_000, 50_000]);
const frameworkCounts = only('--frameworks', [100, 1_000]);
const roleCounts = only('--roles', [1, 100]);

function build(agents: number, frameworks: number, roles: number): Allocator {
  const allocator = new Allocator({ seed: 7 });
  const total = Resources.parse(AGENT_RESOURCES);
  for (let i = 0; i < agents; i++) allocator.addAgent({ id: `agent-${i}`, hostname: `host-${i}`, total });
  for (let i = 0; i < frameworks; i++) {
    const role = roles === 1 ? 'analytics' : `tenant-${i % roles}`;
    allocator.addFramework({ id: `framework-${i}`, roles: [role] });
  }
  return allocator;
}

function timed(allocator: Allocator, now: number): { ms: number; result: AllocationResult } {
  const start = performance.now();
  const result = allocator.allocate(now);
  return { ms: performance.now() - start, result };
}

function recoverAll(allocator: Allocator, result: AllocationResult, now: number, refuseMs?: number): void {
  for (const o of result.offers) {
    allocator.recoverResources(o.frameworkId, o.agentId, o.resources, refuseMs === undefined ? undefined : { refuseMs, now });
  }
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

function summarize(times: number[]): { p50: number; max: number } {
  const sorted = [...times].sort((x, y) => x - y);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { p50: round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0), max: round(sorted[sorted.length - 1] ?? 0) };
}

function runCell(agents: number, frameworks: number, roles: number): Row[] {
  const repeats = agents >= 50_000 ? 5 : agents >= 10_000 ? 7 : 15;
  const allocator = build(agents, frameworks, roles);
  let now = 0;
  const rows: Row[] = [];
  const record = (phase: Row['phase'], times: number[], offers: number): void => {
    const { p50, max } = summarize(times);
    rows.push({ agents, frameworks, roles, phase, p50_ms: p50, max_ms: max, heap_mb: heapMb(), offers });
  };

  // full: everything free each time (offers returned without a filter between cycles).
  const full: number[] = [];
  let offers = 0;
  for (let i = 0; i < repeats; i++) {
    const { ms, result } = timed(allocator, (now += 1000));
    full.push(ms);
    offers = result.offers.length;
    recoverAll(allocator, result, now);
  }
  record('full', full, offers);

  // declined: every offer of the previous cycle declined with a long filter.
  const declined: number[] = [];
  let last = allocator.allocate((now += 1000));
  for (let i = 0; i < repeats; i++) {
    recoverAll(allocator, last, now, LONG_FILTER_MS);
    const { ms, result } = timed(allocator, (now += 1000));
    declined.push(ms);
    offers = result.offers.length;
    last = result;
  }
  record('declined', declined, offers);

  // idle: everything allocated, nothing changes.
  const idle: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const { ms, result } = timed(allocator, (now += 1000));
    idle.push(ms);
    offers = result.offers.length;
  }
  record('idle', idle, offers);
  return rows;
}

function main(): void {
  const rows: Row[] = [];
  const header = ['agents', 'frameworks', 'roles', 'phase', 'p50 ms', 'max ms', 'heap MB', 'offers'];
  console.log(header.map((h) => h.padStart(10)).join(' '));
  for (const agents of agentCounts) {
    for (const frameworks of frameworkCounts) {
      for (const roles of roleCounts) {
        for (const row of runCell(agents, frameworks, roles)) {
          rows.push(row);
          const cells = [row.agents, row.frameworks, row.roles, row.phase, row.p50_ms, row.max_ms, row.heap_mb, row.offers];
          console.log(cells.map((c) => String(c).padStart(10)).join(' '));
        }
      }
    }
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'allocator.json'), `${JSON.stringify(rows.map(({ offers: _o, ...r }) => r), null, 2)}\n`);
  console.log(`\nwrote ${join(dir, 'allocator.json')}`);
}

main();
