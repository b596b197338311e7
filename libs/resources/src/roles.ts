/**
 * Role names and the role tree. A role is `*` (unreserved / the default role) or a path of
 * components separated by `/`: `eng`, `eng/web`. A reservation for `eng` is usable by every
 * role below it, so most questions here are "is this role inside that subtree".
 */
import { UNRESERVED_ROLE } from './resource';

const SLASH = 47; // '/'

/** The first whitespace (including Unicode spaces) or control character (C0, DEL, C1), if any. */
function forbiddenChar(role: string): number | undefined {
  for (let i = 0; i < role.length; i++) {
    const code = role.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/.test(role[i])) return code;
  }
  return undefined;
}

/**
 * Checks a role name against the Mesos rules. Returns undefined when valid, otherwise a
 * message that says what is wrong.
 */
export function validateRole(role: string): string | undefined {
  if (role === UNRESERVED_ROLE) return undefined;
  if (role.length === 0) return 'role must not be empty';
  const bad = forbiddenChar(role);
  if (bad !== undefined) {
    const code = bad.toString(16).padStart(4, '0');
    return `role '${role}' must not contain whitespace or control characters (found U+${code})`;
  }
  if (role.charCodeAt(0) === SLASH) return `role '${role}' must not start with '/'`;
  if (role.charCodeAt(role.length - 1) === SLASH) return `role '${role}' must not end with '/'`;
  if (role.includes('//')) return `role '${role}' must not contain '//'`;
  for (const component of role.split('/')) {
    if (component === '.' || component === '..') {
      return `role '${role}' must not have '${component}' as a component`;
    }
    if (component === UNRESERVED_ROLE) return `role '${role}' must not have '*' as a component`;
    if (component.startsWith('-')) return `role '${role}' has a component starting with '-': '${component}'`;
  }
  return undefined;
}

/** The role one level up (`eng/web` -> `eng`); undefined for top-level roles and `*`. */
export function parentRole(role: string): string | undefined {
  const slash = role.lastIndexOf('/');
  return slash <= 0 ? undefined : role.slice(0, slash);
}

/** Every role above `role`, nearest first, without `role` itself and without `*`. */
export function roleAncestors(role: string): string[] {
  const out: string[] = [];
  for (let slash = role.lastIndexOf('/'); slash > 0; slash = role.lastIndexOf('/', slash - 1)) {
    out.push(role.slice(0, slash));
  }
  return out;
}

/**
 * True when `role` is `ancestor` or lies in its subtree (`eng` covers `eng/web`, but not
 * `engineering`). `*` is not treated as the root of the tree: it only covers itself.
 * Allocation-free, because the allocator asks this for every reserved entry it considers.
 */
export function isAncestorOrSelf(ancestor: string, role: string): boolean {
  if (role.length === ancestor.length) return role === ancestor;
  return (
    role.length > ancestor.length &&
    role.charCodeAt(ancestor.length) === SLASH &&
    role.startsWith(ancestor) &&
    ancestor !== UNRESERVED_ROLE
  );
}

/** The first component (`eng/web/api` -> `eng`); quota applies at this level. `*` stays `*`. */
export function topLevelRole(role: string): string {
  const slash = role.indexOf('/');
  return slash < 0 ? role : role.slice(0, slash);
}
