import type { AgentAttribute } from './types';
import { AllocatorError } from './errors';

/**
 * Offer constraints on agent attributes (Mesos `OfferConstraints`): per role, a list of groups
 * that are OR'ed; the constraints inside one group are AND'ed. Equality and regex predicates on a
 * non-TEXT attribute always match, as in Mesos: the scheduler filters those itself.
 */
export type AttributeSelector =
  | { readonly attributeName: string }
  | { readonly pseudoattribute: 'HOSTNAME' | 'REGION' | 'ZONE' };

export type AttributePredicate =
  | { readonly exists: true }
  | { readonly notExists: true }
  | { readonly textEquals: string }
  | { readonly textNotEquals: string }
  | { readonly textMatches: string }
  | { readonly textNotMatches: string };

export interface AttributeConstraint {
  readonly selector: AttributeSelector;
  readonly predicate: AttributePredicate;
}

export interface ConstraintGroup {
  readonly attributeConstraints: readonly AttributeConstraint[];
}

export type OfferConstraints = Readonly<Record<string, { readonly groups: readonly ConstraintGroup[] }>>;

/** What a constraint is evaluated against: the agent's attributes and pseudo-attributes. */
export interface ConstraintSubject {
  readonly hostname: string;
  readonly region?: string;
  readonly zone?: string;
  readonly attributes: readonly AgentAttribute[];
}

/** A constraint set compiled once (regexes built, shapes checked) and evaluated per agent. */
export type CompiledConstraints = (subject: ConstraintSubject) => boolean;

/** Regex source longer than this is refused, like Mesos's RE2 program-size limit. */
const MAX_REGEX_LENGTH = 1024;

export function compileRoleConstraints(
  role: string,
  spec: { readonly groups: readonly ConstraintGroup[] },
): CompiledConstraints {
  if (!Array.isArray(spec.groups) || spec.groups.length === 0) {
    throw new AllocatorError(`offer constraints for role '${role}': 'groups' must be a non-empty list`);
  }
  const groups = spec.groups.map((group, g) => {
    const list = group.attributeConstraints;
    if (!Array.isArray(list) || list.length === 0) {
      throw new AllocatorError(
        `offer constraints for role '${role}': group ${g} must have at least one attribute constraint`,
      );
    }
    return list.map((c, i) => compileOne(c, `offer constraints for role '${role}', group ${g}, constraint ${i}`));
  });
  return (subject) => groups.some((group) => group.every((test) => test(subject)));
}

type Lookup = { found: false } | { found: true; text: string | undefined };

function compileOne(c: AttributeConstraint, where: string): CompiledConstraints {
  const select = compileSelector(c.selector, where);
  const p = c.predicate;
  if (p === null || typeof p !== 'object') throw new AllocatorError(`${where}: predicate is missing`);
  if ('exists' in p) return (s) => select(s).found;
  if ('notExists' in p) return (s) => !select(s).found;
  if ('textEquals' in p) return textTest(select, (t) => t === p.textEquals, where, p.textEquals);
  if ('textNotEquals' in p) return textTest(select, (t) => t !== p.textNotEquals, where, p.textNotEquals);
  if ('textMatches' in p) {
    const re = compileRegex(p.textMatches, where);
    return textTest(select, (t) => re.test(t), where, p.textMatches);
  }
  if ('textNotMatches' in p) {
    const re = compileRegex(p.textNotMatches, where);
    return textTest(select, (t) => !re.test(t), where, p.textNotMatches);
  }
  throw new AllocatorError(`${where}: unknown predicate ${JSON.stringify(Object.keys(p))}`);
}

function compileSelector(sel: AttributeSelector, where: string): (s: ConstraintSubject) => Lookup {
  if (sel === null || typeof sel !== 'object') throw new AllocatorError(`${where}: selector is missing`);
  if ('attributeName' in sel) {
    const name = sel.attributeName;
    if (typeof name !== 'string' || name === '') throw new AllocatorError(`${where}: attribute name is empty`);
    return (s) => {
      // The first attribute with that name, as Mesos does.
      const attr = s.attributes.find((a) => a.name === name);
      return attr ? { found: true, text: attr.text } : { found: false };
    };
  }
  switch (sel.pseudoattribute) {
    case 'HOSTNAME':
      return (s) => ({ found: true, text: s.hostname });
    case 'REGION':
      return (s) => (s.region === undefined ? { found: false } : { found: true, text: s.region });
    case 'ZONE':
      return (s) => (s.zone === undefined ? { found: false } : { found: true, text: s.zone });
    default:
      throw new AllocatorError(`${where}: unknown pseudoattribute type`);
  }
}

function textTest(
  select: (s: ConstraintSubject) => Lookup,
  test: (text: string) => boolean,
  where: string,
  operand: unknown,
): CompiledConstraints {
  if (typeof operand !== 'string') throw new AllocatorError(`${where}: predicate value must be a string`);
  return (s) => {
    const found = select(s);
    if (!found.found) return false;
    // Non-TEXT attributes always match text predicates (Mesos semantics).
    return found.text === undefined ? true : test(found.text);
  };
}

function compileRegex(source: string, where: string): RegExp {
  if (typeof source !== 'string') throw new AllocatorError(`${where}: regex must be a string`);
  if (source.length > MAX_REGEX_LENGTH) {
    throw new AllocatorError(`${where}: regex is longer than ${MAX_REGEX_LENGTH} characters`);
  }
  try {
    // RE2 FullMatch semantics: the whole text must match.
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (e) {
    throw new AllocatorError(`${where}: invalid regex '${source}': ${(e as Error).message}`);
  }
}
