/**
 * Ordering of names and lines as glibc's en_US.UTF-8 locale roughly does it (what ls, sort and
 * globs use on an Ubuntu box): punctuation is ignored at first and case only breaks ties, lower
 * before upper. With LC_ALL=C (or LC_COLLATE/LANG=C) plain byte order applies instead.
 */
function collate(a: string, b: string): number {
  return compareCollationKeys(collationKey(a), collationKey(b));
}

/** What collate compares, computed once per string (sort decorates a million lines with it). */
export interface CollationKey {
  /** letters and digits only, lower case */
  primary: string;
  /** per letter or digit: 0 lower, 1 upper */
  cases: string;
  raw: string;
}

export function collationKey(s: string): CollationKey {
  const stripped = s.replace(/[^\p{L}\p{N}]/gu, '');
  const primary = stripped.toLowerCase();
  let cases = '';
  if (primary !== stripped) for (const ch of stripped) cases += ch === ch.toLowerCase() ? '0' : '1';
  else cases = '0'.repeat([...stripped].length);
  return { primary, cases, raw: s };
}

export function compareCollationKeys(a: CollationKey, b: CollationKey): number {
  if (a.primary !== b.primary) return a.primary < b.primary ? -1 : 1;
  if (a.cases !== b.cases) return a.cases < b.cases ? -1 : 1;
  // then the one with fewer ignored characters, then bytes, so the order is total
  if (a.raw.length !== b.raw.length) return a.raw.length - b.raw.length;
  return byteOrder(a.raw, b.raw);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the variables ask for the C locale's byte order. */
function usesCLocale(vars: Record<string, string | undefined>): boolean {
  const v = vars.LC_ALL || vars.LC_COLLATE || vars.LANG || '';
  return v === 'C' || v === 'POSIX';
}

export function collatorFor(vars: Record<string, string | undefined>): (a: string, b: string) => number {
  return usesCLocale(vars) ? byteOrder : collate;
}

/** Whether this environment sorts in plain byte order (LC_ALL=C and friends). */
export function bytewiseCollation(vars: Record<string, string | undefined>): boolean {
  return usesCLocale(vars);
}
