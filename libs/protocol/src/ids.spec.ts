import { agentIdFor, base64ToUuid, bytesToUuid, frameworkIdFor, offerIdFor, uuidToBase64, uuidToBytes } from './ids';

const MASTER = '5b1f0c1e-7d2a-4c8e-9f00-1234567890ab';

describe('minted ids', () => {
  it.each([
    ['framework, zero-padded', frameworkIdFor(MASTER, 3), `${MASTER}-0003`],
    ['framework, first', frameworkIdFor(MASTER, 0), `${MASTER}-0000`],
    ['framework, past 4 digits grows', frameworkIdFor(MASTER, 12345), `${MASTER}-12345`],
    ['offer', offerIdFor(MASTER, 117), `${MASTER}-O117`],
    ['agent', agentIdFor(MASTER, 12), `${MASTER}-S12`],
  ])('%s', (_edge, minted, expected) => {
    expect(minted).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN])('refuses counter %p', (n) => {
    expect(() => offerIdFor(MASTER, n)).toThrow(RangeError);
  });
});

describe('uuids', () => {
  it('round-trips text, bytes and base64', () => {
    const bytes = uuidToBytes(MASTER);
    expect(bytes).toHaveLength(16);
    expect(bytesToUuid(bytes)).toBe(MASTER);
    expect(base64ToUuid(uuidToBase64(MASTER.toUpperCase()))).toBe(MASTER);
  });

  it.each([
    ['not a uuid', () => uuidToBytes('nope', 'status.uuid'), 'status.uuid: expected a UUID'],
    ['wrong byte count', () => bytesToUuid(new Uint8Array(3)), 'uuid: a UUID has 16 bytes, got 3'],
  ])('%s', (_edge, run, message) => {
    expect(run).toThrow(message);
  });

  it('base64ToUuid is undefined for what is not base64 of 16 bytes', () => {
    expect(base64ToUuid('Zm9v')).toBeUndefined();
    expect(base64ToUuid('!!')).toBeUndefined();
  });
});
