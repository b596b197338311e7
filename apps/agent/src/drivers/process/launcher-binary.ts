/**
 * Where agora-launcher is: `dist/native/agora-launcher` of the checkout the agent runs from
 * (apps/agent/native/build.sh puts it there, `npm run build` and scripts/setup.sh run that). The
 * agent runs from source (apps/…) or from dist/apps/…, so the checkout is found by walking up.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';

export const LAUNCHER_RELATIVE_PATH = join('dist', 'native', 'agora-launcher');

/** The built launcher above `from`, or undefined when there is none (not built, no compiler). */
export function findLauncherBinary(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, LAUNCHER_RELATIVE_PATH);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; one level up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
