import { formatScalar, formatTime, formatUsage, renderTable } from './table';

describe('renderTable', () => {
  it('pads every column to its widest cell, two spaces apart, without trailing blanks', () => {
    const rows = [
      { id: 'a', name: 'short', n: '1' },
      { id: 'longer-id', name: 'x', n: '12345' },
    ];
    const table = renderTable(
      [
        { header: 'ID', cell: (r: (typeof rows)[number]) => r.id },
        { header: 'NAME', cell: (r) => r.name },
        { header: 'N', cell: (r) => r.n },
      ],
      rows,
    );
    expect(table.split('\n')).toEqual([
      'ID         NAME   N',
      'a          short  1',
      'longer-id  x      12345',
    ]);
  });

  it('prints only the header when there are no rows', () => {
    expect(renderTable([{ header: 'ID', cell: (r: string) => r }, { header: 'STATE', cell: (r) => r }], [])).toBe('ID  STATE');
  });
});

describe('formatting', () => {
  it.each<[number | undefined, string]>([
    [4, '4'],
    [0.1, '0.1'],
    [0.30000000000000004, '0.3'],
    [1.23456, '1.235'],
    [15360, '15360'],
    [undefined, '-'],
    [Number.NaN, '-'],
  ])('formatScalar(%p) is %p', (value, expected) => {
    expect(formatScalar(value)).toBe(expected);
  });

  it('shows usage as used/total, with nothing used as 0', () => {
    expect(formatUsage(0.5, 4)).toBe('0.5/4');
    expect(formatUsage(undefined, 1024)).toBe('0/1024');
    expect(formatUsage(undefined, undefined)).toBe('0/-');
  });

  it('shows epoch seconds as UTC date and time', () => {
    expect(formatTime(1718020800.123)).toBe('2024-06-10 12:00:00');
    expect(formatTime(undefined)).toBe('-');
    expect(formatTime(0)).toBe('-');
  });
});
