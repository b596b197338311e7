import { execFileSync } from 'node:child_process';
import { shellCommand, shellQuote } from './shell-quote';

describe('shellQuote', () => {
  it.each([
    ['a plain word stays bare', 'echo', 'echo'],
    ['paths and flags stay bare', '--out=/tmp/x.log', '--out=/tmp/x.log'],
    ['the empty word', '', "''"],
    ['a space', 'a b', "'a b'"],
    ['a dollar sign', '$HOME', "'$HOME'"],
    ['a glob', '*.txt', "'*.txt'"],
    ['a single quote', "it's", "'it'\\''s'"],
    ['a double quote', 'say "hi"', `'say "hi"'`],
    ['a newline', 'a\nb', "'a\nb'"],
    ['shell operators', 'a && b; c | d', "'a && b; c | d'"],
    ['a backslash', 'C:\\dir', "'C:\\dir'"],
  ])('%s', (_case, word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe('shellCommand', () => {
  it('keeps a single word as a script, so shell syntax works', () => {
    expect(shellCommand(['echo hi && echo there'])).toBe('echo hi && echo there');
  });

  it('quotes each of several words', () => {
    expect(shellCommand(['echo', 'a b', "it's"])).toBe("echo 'a b' 'it'\\''s'");
  });

  // The real test of quoting: /bin/sh must hand the program exactly the words we started with.
  it.each([
    [['a b']],
    [['$HOME', '`id`', '$(id)']],
    [["it's", '"quoted"', '\\', '']],
    [['*', '?', '[a]', '~', '#comment', 'x;y', 'a\nb', '\t']],
    [['héllo wörld', '日本']],
  ])('round-trips %j through /bin/sh', (words) => {
    const script = shellCommand(['printf', '%s\\0', ...words]);
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });
});
