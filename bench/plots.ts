// npm run bench:plots — draws the PNGs of BENCHMARKS.md from bench/results/*.json into docs/bench/.
// Results that are not there are skipped (each benchmark writes its own when run); a result that
// is there but lacks a field is reported with the field's name and makes the exit status 1.
//
// Flags: --results DIR (default bench/results), --out DIR (default docs/bench),
// --font FILE (DejaVu Sans .ttf; default: Debian's fonts-dejavu-core, which scripts/setup.sh installs).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FIGURES } from './support/plot/figures';
import { renderPng } from './support/plot/png';

const ROOT = resolve(__dirname, '..');
const DEJAVU_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];

const FLAGS = ['results', 'out', 'font'];

/** Every argument is one of FLAGS with its value: a mistyped flag must not silently change nothing. */
function checkArguments(args: readonly string[]): void {
  for (let i = 0; i < args.length; i += 2) {
    if (!FLAGS.includes(args[i].replace(/^--/, '')) || !args[i].startsWith('--')) {
      throw new Error(`unknown argument ${args[i]}; flags: ${FLAGS.map((f) => `--${f} VALUE`).join(', ')}`);
    }
  }
}

/** Paths inside the checkout relative to it, others as they are. */
function shown(path: string): string {
  return path.startsWith(ROOT + sep) ? relative(ROOT, path) : path;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

/** The regular font file and, beside it, the bold one when it exists (titles are bold). */
function fontFiles(): string[] {
  const given = flag('font');
  const regular = given ?? DEJAVU_DIRS.map((dir) => join(dir, 'DejaVuSans.ttf')).find((file) => existsSync(file));
  if (regular === undefined || !existsSync(regular)) {
    throw new Error(
      `no DejaVu Sans font ${given ? `at ${given}` : `in ${DEJAVU_DIRS.join(', ')}`}: ` +
        `install Debian's fonts-dejavu-core (scripts/setup.sh does) or pass --font FILE.ttf`,
    );
  }
  const bold = join(dirname(regular), 'DejaVuSans-Bold.ttf');
  return existsSync(bold) ? [regular, bold] : [regular];
}

function main(): number {
  checkArguments(process.argv.slice(2));
  const resultsDir = resolve(flag('results') ?? join(ROOT, 'bench/results'));
  const outDir = resolve(flag('out') ?? join(ROOT, 'docs/bench'));
  const fonts = fontFiles();
  mkdirSync(outDir, { recursive: true });
  let failures = 0;
  for (const figure of FIGURES) {
    const source = join(resultsDir, figure.result);
    const target = join(outDir, figure.image);
    if (!existsSync(source)) {
      console.log(`skip   ${figure.image}: ${shown(source)} not found (run its benchmark first)`);
      continue;
    }
    try {
      const result: unknown = JSON.parse(readFileSync(source, 'utf8'));
      const png = renderPng(figure.draw(result), fonts);
      writeFileSync(target, png);
      console.log(`wrote  ${shown(target)} (${(png.length / 1024).toFixed(0)} KB) from ${shown(source)}`);
    } catch (error) {
      failures++;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      console.error(`FAILED ${figure.image} from ${shown(source)}: ${message}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`bench:plots: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
