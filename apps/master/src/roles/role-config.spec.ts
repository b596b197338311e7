import { ResourceQuantities } from '@agora/resources';
import { fromRoleQuota, isDefaultQuota, RoleConfigError, toRoleQuota, validateQuotaConfig, validateWeights } from './role-config';

const q = (text: string): ResourceQuantities => ResourceQuantities.parse(text);
const scalars = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([k, value]) => [k, { value }]));

describe('validateWeights', () => {
  it('keeps valid weights in order, trimming role names as Mesos does', () => {
    expect(validateWeights([{ role: ' web ', weight: 2 }, { role: 'eng/batch', weight: 0.25 }, { role: '*', weight: 1 }])).toEqual([
      { role: 'web', weight: 2 },
      { role: 'eng/batch', weight: 0.25 },
      { role: '*', weight: 1 },
    ]);
  });

  it.each<[string, { role: string; weight: number }, RegExp]>([
    ['zero weight', { role: 'web', weight: 0 }, /for role 'web': Invalid weight '0': Weights must be positive/],
    ['negative weight', { role: 'web', weight: -1 }, /Invalid weight '-1'/],
    ['infinite weight', { role: 'web', weight: Infinity }, /Invalid weight 'Infinity'/],
    ['NaN weight', { role: 'web', weight: NaN }, /Invalid weight 'NaN'/],
    ['empty role', { role: '', weight: 1 }, /Invalid role '': /],
    ['role with a space inside', { role: 'a b', weight: 1 }, /Invalid role 'a b'/],
    ['role with a trailing slash', { role: 'eng/', weight: 1 }, /Invalid role 'eng\/'/],
    ['role ..', { role: '..', weight: 1 }, /Invalid role '\.\.'/],
  ])('refuses %s', (_case, info, message) => {
    expect(() => validateWeights([{ role: 'ok', weight: 1 }, info])).toThrow(RoleConfigError);
    expect(() => validateWeights([info])).toThrow(message);
  });
});

describe('validateQuotaConfig', () => {
  it('reads guarantees and limits as quantities', () => {
    const quota = validateQuotaConfig({ role: 'eng', guarantees: scalars({ cpus: 1.5 }), limits: scalars({ cpus: 4, mem: 0 }) });
    expect(quota.role).toBe('eng');
    expect(quota.guarantees.equals(q('cpus:1.5'))).toBe(true);
    expect(quota.limits.toRecord()).toEqual({ cpus: 4, mem: 0 });
    expect(isDefaultQuota(quota)).toBe(false);
  });

  it('treats a config without guarantees and limits as the default quota', () => {
    expect(isDefaultQuota(validateQuotaConfig({ role: 'eng' }))).toBe(true);
    expect(isDefaultQuota(validateQuotaConfig({ role: 'eng', guarantees: {}, limits: {} }))).toBe(true);
  });

  it('allows a guarantee equal to its limit, and a guarantee for a resource without a limit', () => {
    expect(() => validateQuotaConfig({ role: 'eng', guarantees: scalars({ cpus: 2, mem: 512 }), limits: scalars({ cpus: 2 }) })).not.toThrow();
  });

  it.each<[string, Parameters<typeof validateQuotaConfig>[0], RegExp]>([
    ['a nested role (top-level roles only, for now)', { role: 'eng/web', limits: scalars({ cpus: 1 }) }, /nested role 'eng\/web' is not supported yet: quota is set on top-level roles only/],
    ['role *', { role: '*', limits: scalars({ cpus: 1 }) }, /quota cannot be set on role '\*'/],
    ['an invalid role', { role: '-x', limits: {} }, /Invalid 'QuotaConfig.role'/],
    ['a guarantee above its limit', { role: 'eng', guarantees: scalars({ cpus: 3 }), limits: scalars({ cpus: 2 }) }, /'QuotaConfig.guarantees' \{cpus:3\} is not contained within the 'QuotaConfig.limits' \{cpus:2\}/],
    ['a negative guarantee', { role: 'eng', guarantees: scalars({ cpus: -1 }) }, /Invalid 'QuotaConfig.guarantees': \{'cpus': -1\} must be a non-negative number/],
    ['an infinite limit', { role: 'eng', limits: scalars({ mem: Infinity }) }, /Invalid 'QuotaConfig.limits': \{'mem': Infinity\}/],
    ['more than an exabyte of memory', { role: 'eng', limits: scalars({ mem: 2 * 1024 ** 4 }) }, /values greater than 1099511627776 are not supported/],
    ['more than 10^12 cpus', { role: 'eng', guarantees: scalars({ cpus: 2e12 }) }, /values greater than 1000000000000 are not supported/],
  ])('refuses %s', (_case, config, message) => {
    expect(() => validateQuotaConfig(config)).toThrow(RoleConfigError);
    expect(() => validateQuotaConfig(config)).toThrow(message);
  });

  it('round-trips through the registry form', () => {
    const quota = validateQuotaConfig({ role: 'eng', guarantees: scalars({ cpus: 1 }), limits: scalars({ cpus: 2, gpus: 0 }) });
    const stored = toRoleQuota(quota);
    expect(stored).toEqual({ role: 'eng', guarantees: { cpus: 1 }, limits: { cpus: 2, gpus: 0 } });
    const back = fromRoleQuota(stored);
    expect(back.guarantees.equals(quota.guarantees) && back.limits.toRecord()).toEqual({ cpus: 2, gpus: 0 });
  });
});
