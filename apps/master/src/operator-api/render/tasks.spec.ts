import fc from 'fast-check';
import { ClusterBuilder } from '../testing/cluster-builder';
import type { QueryParams } from './inputs';
import { parseTasksQuery, renderTasks, type TasksQuery } from './tasks';

describe('parseTasksQuery', () => {
  it.each<[string, QueryParams, Partial<TasksQuery>]>([
    ['defaults', {}, { limit: 100, offset: 0, order: 'des' }],
    ['all parameters', { limit: '5', offset: '10', order: 'asc', framework_id: 'f1', task_id: 't1' }, { limit: 5, offset: 10, order: 'asc', frameworkId: 'f1', taskId: 't1' }],
    ['zero limit', { limit: '0' }, { limit: 0 }],
    ['a repeated parameter takes its first value', { limit: ['3', '4'] }, { limit: 3 }],
    ['unknown parameters are ignored', { _: '1700000000', jsonp: 'cb' }, { limit: 100 }],
  ])('accepts %s', (_name, query, expected) => {
    const parsed = parseTasksQuery(query);
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining(expected) });
  });

  it.each<[string, QueryParams, string]>([
    ['a negative limit', { limit: '-1' }, "Invalid query parameter 'limit': expected a non-negative integer, got '-1'"],
    ['a fractional limit', { limit: '1.5' }, "'limit'"],
    ['a word for a limit', { limit: 'ten' }, "'limit'"],
    ['an empty limit', { limit: '' }, "'limit'"],
    ['a huge limit', { limit: '99999999999999999999' }, "'limit'"],
    ['a negative offset', { offset: '-3' }, "Invalid query parameter 'offset'"],
    ['an unknown order', { order: 'desc' }, "Invalid query parameter 'order': expected 'asc' or 'des', got 'desc'"],
  ])('refuses %s, naming the parameter', (_name, query, message) => {
    const parsed = parseTasksQuery(query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(message);
  });
});

describe('renderTasks', () => {
  function cluster(): ClusterBuilder {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('f1');
    c.framework('f2');
    c.task('f1', 'a1', 'live', { launchedAt: 30_000 });
    c.task('f1', 'a1', 'unreachable', { state: 'TASK_UNREACHABLE', launchedAt: 20_000 });
    c.completedTask('f1', 'a1', 'completed', { launchedAt: 10_000 });
    c.task('f2', 'a1', 'other', { launchedAt: 40_000 });
    c.framework('gone');
    c.completedTask('gone', 'a1', 'of-gone', { launchedAt: 5_000 });
    c.completeFramework('gone');
    return c;
  }
  const query = (q: Partial<TasksQuery> = {}): TasksQuery => ({ limit: 100, offset: 0, order: 'des', ...q });
  const ids = (q: Partial<TasksQuery>) => renderTasks(cluster().state, query(q)).tasks.map((t) => t.id);

  it.each<[string, Partial<TasksQuery>, string[]]>([
    ['newest first by default, over live, unreachable and completed tasks of all frameworks', {}, ['other', 'live', 'unreachable', 'completed', 'of-gone']],
    ['oldest first with asc', { order: 'asc' }, ['of-gone', 'completed', 'unreachable', 'live', 'other']],
    ['a page', { offset: 1, limit: 2 }, ['live', 'unreachable']],
    ['an offset past the end', { offset: 10 }, []],
    ['a zero limit', { limit: 0 }, []],
    ['one framework', { frameworkId: 'f1' }, ['live', 'unreachable', 'completed']],
    ['a completed framework', { frameworkId: 'gone' }, ['of-gone']],
    ['one task', { taskId: 'unreachable' }, ['unreachable']],
    ['a task of another framework', { frameworkId: 'f2', taskId: 'live' }, []],
  ])('%s', (_name, q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it('breaks ties in launch time by framework and task id', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('f2');
    c.framework('f1');
    for (const [fw, id] of [['f2', 'b'], ['f1', 'z'], ['f2', 'a']]) c.task(fw, 'a1', id, { launchedAt: 1_000 });
    expect(renderTasks(c.state, query()).tasks.map((t) => `${t.framework_id}/${t.id}`)).toEqual(['f1/z', 'f2/a', 'f2/b']);
  });

  it('pages without losing or repeating a task', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { maxLength: 25 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom<'asc' | 'des'>('asc', 'des'), (launches, limit, order) => {
        const c = new ClusterBuilder();
        c.agent('a1');
        c.framework('f1');
        launches.forEach((t, i) => c.task('f1', 'a1', `t${i}`, { launchedAt: t * 1000 }));
        const all = renderTasks(c.state, query({ order })).tasks.map((t) => t.id);
        const paged: string[] = [];
        for (let offset = 0; offset < launches.length; offset += limit) {
          paged.push(...renderTasks(c.state, query({ order, offset, limit })).tasks.map((t) => t.id));
        }
        expect(paged).toEqual(all);
        expect(new Set(all).size).toBe(launches.length);
      }),
    );
  });
});
