import type { Attribute } from '@agora/protocol';
import { AttributeParseError, attributesToV0, parseAttributes } from './attributes';

describe('parseAttributes', () => {
  it.each<[string, Attribute[]]>([
    ['rack:r1', [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }]],
    ['level:10', [{ name: 'level', type: 'SCALAR', scalar: { value: 10 } }]],
    ['weight:-2.5', [{ name: 'weight', type: 'SCALAR', scalar: { value: -2.5 } }]],
    ['keys:[1000-1500]', [{ name: 'keys', type: 'RANGES', ranges: { range: [{ begin: 1000, end: 1500 }] } }]],
    ['keys:[1-2, 5-9]', [{ name: 'keys', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }, { begin: 5, end: 9 }] } }]],
    ['s:{a,b}', [{ name: 's', type: 'SET', set: { item: ['a', 'b'] } }]],
    ['s:{}', [{ name: 's', type: 'SET', set: { item: [] } }]],
    ['os:debian12', [{ name: 'os', type: 'TEXT', text: { value: 'debian12' } }]],
    ['version:1.2.3', [{ name: 'version', type: 'TEXT', text: { value: '1.2.3' } }]],
    ['url:http://x:80', [{ name: 'url', type: 'TEXT', text: { value: 'http://x:80' } }]],
    [' rack : r1 ;; zone:a;', [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }, { name: 'zone', type: 'TEXT', text: { value: 'a' } }]],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseAttributes(text)).toEqual(expected);
  });

  it('parses the example of the flag', () => {
    expect(parseAttributes('rack:r1;zone:a;level:10;keys:[1000-1500];s:{a,b}').map((a) => `${a.name}:${a.type}`)).toEqual([
      'rack:TEXT',
      'zone:TEXT',
      'level:SCALAR',
      'keys:RANGES',
      's:SET',
    ]);
  });

  it.each([
    ['rack', 'expected name:value'],
    [':r1', 'the name is empty'],
    ['rack:', 'the value is empty'],
    ['keys:[1-2', "ranges must end with ']'"],
    ['keys:[a-b]', "'a-b' is not a range"],
    ['keys:[5-1]', 'begin <= end'],
    ['s:{a,', "sets must end with '}'"],
    ['s:{a,,b}', 'a set item is empty'],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => parseAttributes(text)).toThrow(AttributeParseError);
    expect(() => parseAttributes(text)).toThrow(reason);
  });
});

describe('attributesToV0', () => {
  it('renders each type the way the agent /state does', () => {
    expect(attributesToV0(parseAttributes('rack:r1;level:10;keys:[1-2,5-9];s:{a,b}'))).toEqual({
      rack: 'r1',
      level: 10,
      keys: '[1-2, 5-9]',
      s: '{a, b}',
    });
  });
});
