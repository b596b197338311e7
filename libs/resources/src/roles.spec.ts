import { isAncestorOrSelf, parentRole, roleAncestors, topLevelRole, validateRole } from './roles';

describe('validateRole', () => {
  it.each([
    ['the unreserved role', '*'],
    ['a top-level role', 'eng'],
    ['a nested role', 'eng/web/api'],
    ['dots inside a component', 'eng/v1.2'],
    ['a component starting with a dot', '.hidden'],
    ['a dash after the first character', 'eng/web-api'],
    ['a star inside a component', 'a*b'],
    ['non-ASCII letters', 'équipe/données'],
  ])('accepts %s', (_edge, role) => {
    expect(validateRole(role)).toBeUndefined();
  });

  it.each([
    ['empty', '', 'role must not be empty'],
    ['leading slash', '/eng', "role '/eng' must not start with '/'"],
    ['trailing slash', 'eng/', "role 'eng/' must not end with '/'"],
    ['double slash', 'eng//web', "role 'eng//web' must not contain '//'"],
    ['dot component', '.', "role '.' must not have '.' as a component"],
    ['dot-dot component', 'eng/..', "role 'eng/..' must not have '..' as a component"],
    ['star component', 'eng/*', "role 'eng/*' must not have '*' as a component"],
    ['leading dash', '-eng', "role '-eng' has a component starting with '-': '-eng'"],
    ['nested leading dash', 'eng/-web', "role 'eng/-web' has a component starting with '-': '-web'"],
    ['space', 'eng web', "role 'eng web' must not contain whitespace or control characters (found U+0020)"],
    ['tab', 'eng\tweb', 'found U+0009'],
    ['newline', 'eng\n', 'found U+000a'],
    ['backspace', 'eng\bweb', 'found U+0008'],
    ['DEL', 'eng\u007f', 'found U+007f'],
    ['no-break space', 'eng\u00a0web', 'found U+00a0'],
  ])('rejects %s', (_edge, role, message) => {
    expect(validateRole(role)).toContain(message);
  });
});

describe('role tree', () => {
  it.each([
    ['nested', 'eng/web/api', 'eng/web'],
    ['one level', 'eng/web', 'eng'],
    ['top level has none', 'eng', undefined],
    ['star has none', '*', undefined],
  ])('parentRole: %s', (_edge, role, parent) => {
    expect(parentRole(role)).toBe(parent);
  });

  it.each([
    ['nearest first', 'a/b/c', ['a/b', 'a']],
    ['top level', 'a', []],
    ['star', '*', []],
  ])('roleAncestors: %s', (_edge, role, ancestors) => {
    expect(roleAncestors(role)).toEqual(ancestors);
  });

  it.each([
    ['self', 'eng', 'eng', true],
    ['child', 'eng', 'eng/web', true],
    ['grandchild', 'eng', 'eng/web/api', true],
    ['sibling prefix is not a child', 'eng', 'engineering', false],
    ['child is not an ancestor of its parent', 'eng/web', 'eng', false],
    ['unrelated', 'ops', 'eng/web', false],
    ['star covers only itself', '*', 'eng', false],
    ['star is itself', '*', '*', true],
    ['prefix without slash boundary deeper', 'eng/web', 'eng/webapp', false],
  ])('isAncestorOrSelf: %s', (_edge, ancestor, role, expected) => {
    expect(isAncestorOrSelf(ancestor, role)).toBe(expected);
  });

  it.each([
    ['nested', 'eng/web/api', 'eng'],
    ['top level', 'eng', 'eng'],
    ['star', '*', '*'],
  ])('topLevelRole: %s', (_edge, role, top) => {
    expect(topLevelRole(role)).toBe(top);
  });
});
