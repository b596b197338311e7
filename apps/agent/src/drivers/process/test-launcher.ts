/**
 * For specs: an agora-launcher built from this checkout's source into a temporary directory
 * (apps/agent/native/build.sh), so the tests never depend on `npm run build` having run.
 * Undefined when there is no C compiler; the specs then say so and skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let built: string | undefined | null = null;

export function testLauncherBinary(): string | undefined {
  if (built !== null) return built;
  const dir = mkdtempSync(join(tmpdir(), 'agora-launcher-test-'));
  // Gone with the test process; a launcher still running keeps its open copy.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync(join(__dirname, '..', '..', '..', 'native', 'build.sh'), [dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const binary = join(dir, 'agora-launcher');
  built = existsSync(binary) ? binary : undefined;
  return built;
}
