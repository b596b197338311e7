/**
 * `npm run test:faults`: the fault-injection suite alone (jest with test/faults/jest.config.js,
 * extra arguments passed on, e.g. `-t 'restart NATS'` or `--json --outputFile=…`), then the
 * report of the scenarios that ran: per scenario tasks launched, tasks lost, duplicate runs,
 * time to recover and master restarts. The last line is
 * `faults: S scenarios, L tasks lost, D duplicate runs`. Exits with jest's status.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FAULTS_OUT, formatReport, readResults } from './support/report';

const ROOT = resolve(__dirname, '..', '..');

// Results of an earlier run must not show up in this one's report.
rmSync(FAULTS_OUT, { recursive: true, force: true });
const jest = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(__dirname, 'jest.config.js'), '--runInBand', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
console.log('');
console.log('== fault-injection report');
for (const line of formatReport(readResults())) console.log(line);
process.exit(jest.status ?? 1);
