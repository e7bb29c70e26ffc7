import { AUTOSAVE_SLOT, assertSlotName, checkSlotName, SlotNameError } from '../../../src/saves/slotName';

describe('checkSlotName', () => {
  it.each(['slot1', 'a', 'before-reboot', 'ch1_try.2', 'A'.repeat(64), 'x.json', '-dash'])('accepts %j', (name) => {
    expect(checkSlotName(name)).toEqual({ ok: true, slot: name });
  });

  const refused: [string, RegExp][] = [
    ['../../etc/passwd', /cannot contain "\/"/],
    ['a/b', /cannot contain "\/"/],
    ['a\\b', /cannot contain "\/" or "\\"/],
    ['\0x', /NUL byte/],
    ['x\0', /NUL byte/],
    ['', /cannot be empty/],
    ['..', /cannot start with "."/],
    ['.hidden', /cannot start with "."/],
    ['a..b', /cannot contain "\.\."/],
    ['A'.repeat(65), /65 characters long; the limit is 64/],
    ['my save', /" " is not allowed/],
    ['émile', /"é" is not allowed/],
    ['tab\there', /"\\t" is not allowed/],
    ['ends.', /cannot end with "."/],
    ['slot1.bak', /backup copies/],
    ['CON', /reserved device name/],
    ['nul.txt', /reserved device name/],
    ['com1', /reserved device name/],
    ['autosave', /reserved for the game's automatic save/],
    ['AutoSave', /reserved for the game's automatic save/],
  ];
  it.each(refused)('refuses %j', (name, why) => {
    const r = checkSlotName(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });

  it('shows a NUL byte visibly in the message', () => {
    const r = checkSlotName('\0x');
    expect(!r.ok && r.message).toContain('"\\0x"');
  });

  it('refuses what is not a string', () => {
    expect(checkSlotName(42).ok).toBe(false);
    expect(checkSlotName(undefined).ok).toBe(false);
  });

  it('lets the game itself use the autosave slot', () => {
    expect(checkSlotName(AUTOSAVE_SLOT, { allowReserved: true })).toEqual({ ok: true, slot: 'autosave' });
    expect(checkSlotName('../autosave', { allowReserved: true }).ok).toBe(false);
  });

  it('assertSlotName throws a SlotNameError carrying the message', () => {
    expect(() => assertSlotName('../../etc/passwd')).toThrow(SlotNameError);
    expect(() => assertSlotName('../../etc/passwd')).toThrow(/not a usable slot name/);
    expect(assertSlotName('ok')).toBe('ok');
  });
});
