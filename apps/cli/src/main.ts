// The `agora` command. bin/agora runs the compiled form of this file, or this file through
// @swc-node/register when nothing is built.
import { runCli } from './cli';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  writeOut: (data) => process.stdout.write(data),
  writeErr: (data) => process.stderr.write(data),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`agora: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
