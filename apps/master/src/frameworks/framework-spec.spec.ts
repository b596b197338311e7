import type { FrameworkInfo } from '@agora/protocol';
import { frameworkSpec, FrameworkInfoError, rolesOf, suppressedRolesOf } from './framework-spec';

const info = (extra: Partial<FrameworkInfo>): FrameworkInfo => ({ user: 'u', name: 'n', ...extra });
const MULTI = [{ type: 'MULTI_ROLE' as const }];

describe('rolesOf', () => {
  it.each<[string, Partial<FrameworkInfo>, string[]]>([
    ['no role is *', {}, ['*']],
    ['empty role is *', { role: '' }, ['*']],
    ['a single role', { role: 'eng' }, ['eng']],
    ['MULTI_ROLE roles', { roles: ['a', 'b/c'], capabilities: MULTI }, ['a', 'b/c']],
    ['MULTI_ROLE with role * ignored', { role: '*', roles: ['a'], capabilities: MULTI }, ['a']],
  ])('%s', (_edge, extra, roles) => {
    expect(rolesOf(info(extra))).toEqual(roles);
  });

  it.each<[string, Partial<FrameworkInfo>, RegExp]>([
    ['roles without MULTI_ROLE', { roles: ['a'] }, /needs the MULTI_ROLE capability/],
    ['role with MULTI_ROLE', { role: 'a', capabilities: MULTI }, /must not be set together with the MULTI_ROLE/],
    ['a duplicate role', { roles: ['a', 'a'], capabilities: MULTI }, /duplicate role 'a'/],
    ['a bad role', { role: 'a//b' }, /Role 'a\/\/b' is invalid/],
    ['a role with a space', { roles: ['a b'], capabilities: MULTI }, /is invalid/],
  ])('refuses %s', (_edge, extra, message) => {
    expect(() => rolesOf(info(extra))).toThrow(FrameworkInfoError);
    expect(() => rolesOf(info(extra))).toThrow(message);
  });
});

describe('suppressedRolesOf', () => {
  it('accepts roles of the framework and refuses others', () => {
    expect([...suppressedRolesOf(['a', 'b'], ['b'])]).toEqual(['b']);
    expect(() => suppressedRolesOf(['a'], ['z'])).toThrow(/Suppressed role 'z' is not contained/);
  });
});

describe('frameworkSpec', () => {
  it('carries capabilities, minimum allocatable resources and offer constraints of subscribed roles only', () => {
    const spec = frameworkSpec(
      'f1',
      info({
        roles: ['a'],
        capabilities: [...MULTI, { type: 'GPU_RESOURCES' }],
        offer_filters: { a: { min_allocatable_resources: { quantities: [{ quantities: { cpus: { value: 1 }, mem: { value: 512 } } }] } } },
      }),
      ['a'],
      new Set(['a']),
      {
        role_constraints: {
          a: { groups: [{ attribute_constraints: [{ selector: { attribute_name: 'rack' }, predicate: { text_equals: { value: 'r1' } } }] }] },
          other: { groups: [{ attribute_constraints: [{ selector: { pseudoattribute_type: 'HOSTNAME' }, predicate: { exists: {} } }] }] },
        },
      },
    );
    expect(spec.capabilities).toMatchObject({ multiRole: true, gpuResources: true, revocableResources: false });
    expect(spec.suppressedRoles).toEqual(['a']);
    expect(spec.minAllocatable?.a?.[0]?.toString()).toMatch(/cpus:1.*mem:512/);
    expect(spec.offerConstraints).toEqual({ a: { groups: [{ attributeConstraints: [{ selector: { attributeName: 'rack' }, predicate: { textEquals: 'r1' } }] }] } });
  });

  it('refuses an empty constraint group', () => {
    expect(() => frameworkSpec('f', info({}), ['*'], new Set(), { role_constraints: { '*': { groups: [{ attribute_constraints: [] }] } } })).toThrow(/has no constraints/);
  });
});
