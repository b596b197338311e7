/**
 * For specs: an agora-launcher built from this checkout's source into a temporary directory
 * (apps/agent/native/build.sh), so the tests never depend on `npm run build` having run.
 * scripts/setup.sh installs a C compiler where there is none, so the test suite always has one;
 * without it this throws rather than let the launcher's specs pass by testing nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let built: string | undefined;

export function testLauncherBinary(): string {
  if (built !== undefined) return built;
  const dir = mkdtempSync(join(tmpdir(), 'agora-launcher-test-'));
  // Gone with the test process; a launcher still running keeps its open copy.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync(join(__dirname, '..', '..', '..', 'native', 'build.sh'), [dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const binary = join(dir, 'agora-launcher');
  if (!existsSync(binary)) throw new Error('agora-launcher could not be built for the tests: no C compiler (scripts/setup.sh installs gcc)');
  built = binary;
  return built;
}
