import { parseTeardownBody, parseWeightsBody } from './bodies';

describe('parseWeightsBody', () => {
  it.each([
    ['[{"role":"r1","weight":2.0},{"role":"r2","weight":0.5}]', [{ role: 'r1', weight: 2 }, { role: 'r2', weight: 0.5 }]],
    ['[]', []],
    ['[{"role":"r1","weight":"3"}]', [{ role: 'r1', weight: 3 }]],
  ])('reads %s', (body, weights) => {
    expect(parseWeightsBody(body)).toEqual({ ok: true, value: weights });
  });

  it.each([
    ['[{"role":', /^Failed to parse update weights request JSON '\[\{"role":': /],
    ['{"role":"r1","weight":1}', /^Failed to convert weights JSON array to protobuf .*: expected a JSON array/],
    ['[1]', /\[0\]: expected an object$/],
    ['[{"weight":1}]', /\[0\]\.role: expected a string$/],
    ['[{"role":"r","weight":1},{"role":"r2","weight":"heavy"}]', /\[1\]\.weight: expected a number$/],
  ])('refuses %s, naming the problem', (body, message) => {
    const parsed = parseWeightsBody(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(message);
  });

  it('does not echo a huge body back', () => {
    const parsed = parseWeightsBody(`[${'x'.repeat(10_000)}`);
    expect(!parsed.ok && parsed.problem.length).toBeLessThan(400);
  });
});

describe('parseTeardownBody', () => {
  it('reads frameworkId from the form', () => {
    expect(parseTeardownBody('frameworkId=abc-0001&other=1')).toEqual({ ok: true, value: 'abc-0001' });
  });

  it.each(['', 'framework_id=abc', 'frameworkId='])('refuses %j naming the parameter', (body) => {
    expect(parseTeardownBody(body)).toEqual({ ok: false, problem: "Missing 'frameworkId' query parameter in the request body" });
  });
});
