/**
 * Ordering of names and lines as glibc's en_US.UTF-8 locale roughly does it (what ls, sort and
 * globs use on an Ubuntu box): punctuation is ignored at first and case only breaks ties, lower
 * before upper. With LC_ALL=C (or LC_COLLATE/LANG=C) plain byte order applies instead.
 */
function collate(a: string, b: string): number {
  const ka = a.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
  const kb = b.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ca = caseKey(a);
  const cb = caseKey(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  // then the one with fewer ignored characters, then bytes, so the order is total
  if (a.length !== b.length) return a.length - b.length;
  return byteOrder(a, b);
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

function caseKey(s: string): string {
  let out = '';
  for (const ch of s.replace(/[^\p{L}\p{N}]/gu, '')) out += ch === ch.toLowerCase() ? '0' : '1';
  return out;
}
