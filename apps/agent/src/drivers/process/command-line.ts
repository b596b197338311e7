/**
 * What exec runs for a CommandInfo (mesos.proto): with `shell` (the default) the value is a
 * shell script run by `/bin/sh -c`; without it, `value` is the executable and `arguments` its
 * whole argv, argv[0] included, as in `execlp(value, arguments[0], arguments[1], ...)`.
 */
import type { CommandInfo } from '@agora/protocol';
import { TaskStartError } from '../task-driver';

export interface CommandLine {
  readonly file: string;
  readonly args: readonly string[];
  /** What the process sees as argv[0]. */
  readonly argv0: string;
}

export function commandLine(command: CommandInfo): CommandLine {
  const value = command.value ?? '';
  if (command.shell ?? true) {
    if (value === '') throw new TaskStartError('the shell command is empty (CommandInfo.value)');
    return { file: '/bin/sh', args: ['-c', value], argv0: 'sh' };
  }
  if (value === '') throw new TaskStartError('the executable is not given (CommandInfo.value with shell: false)');
  const argv = command.arguments ?? [];
  return { file: value, args: argv.slice(1), argv0: argv[0] ?? value };
}

/**
 * Wraps `line` so the process joins its cgroup before the task's own code runs: a shell writes
 * its pid into `cgroup.procs` and execs the command in place. Moving the pid from the agent after
 * spawn would race with the task forking children that stay outside the cgroup.
 */
export function enteringCgroup(procsFile: string, line: CommandLine): CommandLine {
  return {
    file: '/bin/sh',
    args: ['-c', 'echo $$ > "$1" || exit 125; shift; exec "$@"', 'agora-task', procsFile, line.file, ...line.args],
    argv0: 'sh',
  };
}
