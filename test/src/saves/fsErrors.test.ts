import { describeFsError, formatBytes } from '../../../src/saves/fsErrors';

describe('describeFsError', () => {
  it('puts codes into words and strips codes and paths from anything else', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(describeFsError(enospc)).toBe('the disk is full');
    expect(describeFsError(Object.assign(new Error("EACCES: permission denied, open '/x/y.json.123'"), { code: 'EACCES' }))).toBe('permission denied');
    expect(describeFsError(Object.assign(new Error("EWEIRD: something odd happened, open '/x/y.json.123'"), { code: 'EWEIRD' }))).toBe('something odd happened');
  });
});

describe('formatBytes', () => {
  it('says sizes the way people do', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
  });
});
