/**
 * POSIX shell quoting for `agora run -- CMD...`. The task's command runs as `/bin/sh -c <value>`
 * (CommandInfo.shell = true), so the words the user's own shell already split must be quoted
 * again, or `agora run -- echo "a b"` would run `echo a b` and `'$HOME'` would expand remotely.
 */

/** Words that mean the same quoted or not; left bare so the command reads naturally in /state. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word as the shell reads it back unchanged: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  // Inside single quotes nothing is special except the quote itself: close, escape it, reopen.
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The CommandInfo.value for the words after `--`. One word is taken as a shell script as it is
 * (`agora run -- 'make && make test'`); several are quoted one by one, so each reaches the
 * program as exactly the argument the user typed.
 */
export function shellCommand(words: readonly string[]): string {
  if (words.length === 1) return words[0];
  return words.map(shellQuote).join(' ');
}
