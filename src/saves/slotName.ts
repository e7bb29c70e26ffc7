/**
 * Slot names become file names inside the saves folder, so they are checked before any path is
 * built from them: 1-64 characters of [A-Za-z0-9._-], not starting with '.', no '..', no path
 * separators or NUL bytes, and none of the names the store or operating systems keep for
 * themselves.
 */

/** The slot the game writes on its own (on quit, chapter end). Players can load it but not write it. */
export const AUTOSAVE_SLOT = 'autosave';
const SLOT_NAME_MAX_LENGTH = 64;

type SlotNameCheck = { ok: true; slot: string } | { ok: false; message: string };

interface SlotNameOptions {
  /**
   * Accept the reserved `autosave` slot. The store itself passes true (the game writes its
   * autosave through it); front ends check what a player typed without it before a save.
   */
  allowReserved?: boolean;
}

/** Device names Windows refuses as file names, with or without an extension. */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)(?:\..*)?$/i;
const ALLOWED = /^[A-Za-z0-9._-]+$/;

/** How a name is quoted in messages: control characters made visible, long names cut. */
function showName(name: string): string {
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  return shown.replace(/\\u0000/g, '\\0');
}

export function checkSlotName(name: unknown, opts: SlotNameOptions = {}): SlotNameCheck {
  const refuse = (message: string): SlotNameCheck => ({ ok: false, message });
  if (typeof name !== 'string') return refuse('A slot name must be text.');
  if (name.length === 0) return refuse('A slot name cannot be empty: give the save a name, like "slot1" or "before-reboot".');
  const shown = showName(name);
  const not = `${shown} is not a usable slot name`;
  if (name.includes('\0')) return refuse(`${not}: it contains a NUL byte.`);
  if (name.includes('/') || name.includes('\\')) {
    return refuse(`${not}: slot names cannot contain "/" or "\\" (a slot is a file inside the saves folder, not a path).`);
  }
  if (name.length > SLOT_NAME_MAX_LENGTH) return refuse(`${not}: it is ${name.length} characters long; the limit is ${SLOT_NAME_MAX_LENGTH}.`);
  if (name.startsWith('.')) return refuse(`${not}: it cannot start with ".".`);
  if (name.includes('..')) return refuse(`${not}: it cannot contain "..".`);
  if (!ALLOWED.test(name)) {
    const bad = [...name].find((ch) => !ALLOWED.test(ch)) ?? '?';
    const badShown = /^[\x21-\x7e]$/.test(bad) ? `"${bad}"` : JSON.stringify(bad);
    return refuse(`${not}: ${badShown} is not allowed; use letters, digits, ".", "_" and "-".`);
  }
  if (name.endsWith('.')) return refuse(`${not}: it cannot end with ".".`);
  if (/\.bak$/i.test(name)) return refuse(`${not}: names ending in ".bak" are kept for the backup copies of saves.`);
  if (WINDOWS_DEVICE.test(name)) return refuse(`${not}: ${shown} is a reserved device name on Windows.`);
  if (name.toLowerCase() === AUTOSAVE_SLOT && !opts.allowReserved) {
    return refuse(`"${AUTOSAVE_SLOT}" is reserved for the game's automatic save; pick another name.`);
  }
  return { ok: true, slot: name };
}

/** An invalid slot name reached a store method. */
export class SlotNameError extends Error {
  override readonly name = 'SlotNameError';
}

/** Returns the checked slot name or throws a SlotNameError with the reason. */
export function assertSlotName(name: unknown, opts: SlotNameOptions = {}): string {
  const r = checkSlotName(name, opts);
  if (!r.ok) throw new SlotNameError(r.message);
  return r.slot;
}
