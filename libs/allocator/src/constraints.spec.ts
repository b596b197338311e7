import { compileRoleConstraints, type AttributeConstraint, type ConstraintSubject } from './constraints';

const subject: ConstraintSubject = {
  hostname: 'node-7.dc1',
  region: 'eu',
  zone: 'eu-1a',
  attributes: [
    { name: 'rack', text: 'r1' },
    { name: 'rack', text: 'r2' },
    { name: 'cores' }, // a SCALAR attribute: text predicates always match it
  ],
};

const one = (c: AttributeConstraint): boolean =>
  compileRoleConstraints('r', { groups: [{ attributeConstraints: [c] }] })(subject);

describe('offer constraints', () => {
  it.each([
    ['the first attribute of a name is the one tested', { attributeName: 'rack' }, { textEquals: 'r1' }, true],
    ['later attributes of the same name are ignored', { attributeName: 'rack' }, { textEquals: 'r2' }, false],
    ['text predicates match non-TEXT attributes', { attributeName: 'cores' }, { textEquals: 'anything' }, true],
    ['a missing attribute fails equality', { attributeName: 'ssd' }, { textEquals: 'yes' }, false],
    ['a missing attribute fails inequality too', { attributeName: 'ssd' }, { textNotEquals: 'yes' }, false],
    ['zone pseudo-attribute', { pseudoattribute: 'ZONE' }, { textMatches: 'eu-.*' }, true],
    ['region pseudo-attribute', { pseudoattribute: 'REGION' }, { textNotEquals: 'us' }, true],
    ['hostname regex must match the whole name', { pseudoattribute: 'HOSTNAME' }, { textMatches: 'node-7' }, false],
    ['hostname regex over the whole name', { pseudoattribute: 'HOSTNAME' }, { textMatches: 'node-[0-9]+\\.dc1' }, true],
  ] as const)('%s', (_name, selector, predicate, expected) => {
    expect(one({ selector, predicate } as AttributeConstraint)).toBe(expected);
  });

  it.each([
    ['no groups', { groups: [] }, /non-empty/],
    ['an empty group', { groups: [{ attributeConstraints: [] }] }, /at least one attribute constraint/],
    ['an invalid regex', { groups: [{ attributeConstraints: [{ selector: { attributeName: 'x' }, predicate: { textMatches: '[' } }] }] }, /invalid regex '\['/],
    ['an unknown predicate', { groups: [{ attributeConstraints: [{ selector: { attributeName: 'x' }, predicate: { bogus: 1 } }] }] }, /unknown predicate/],
    ['an empty attribute name', { groups: [{ attributeConstraints: [{ selector: { attributeName: '' }, predicate: { exists: true } }] }] }, /attribute name is empty/],
  ])('rejects %s with a message naming it', (_name, spec, message) => {
    expect(() => compileRoleConstraints('r', spec as never)).toThrow(message);
  });
});
