import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Runs the real bin/agora shim as a user would: compiled CLI when dist/ exists, sources otherwise.
const agora = join(__dirname, '..', '..', '..', 'bin', 'agora');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [agora, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/agora', () => {
  it('prints its version', () => {
    const result = run('--version');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^agora \d+\.\d+\.\d+\n$/);
    expect(result.status).toBe(0);
  });

  it('exits 2 and names a bad flag', () => {
    const result = run('agent', '--prot', '5051');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("agora agent: unknown option '--prot'");
    expect(result.stdout).toBe('');
  });
});
