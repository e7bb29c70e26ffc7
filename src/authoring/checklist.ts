/** One line of check-chapter's checklist: what was checked, and why it failed if it did. */
export interface CheckItem {
  title: string;
  ok: boolean;
  /** why it failed, or what it found when it passed */
  reason: string;
}

export const pass = (title: string, reason = ''): CheckItem => ({ title, ok: true, reason });
export const fail = (title: string, reason: string): CheckItem => ({ title, ok: false, reason });

export interface CheckReport {
  chapter: string;
  items: CheckItem[];
}

export function reportOk(r: CheckReport): boolean {
  return r.items.length > 0 && r.items.every((i) => i.ok);
}

/** The checklist as the terminal prints it: one line per check, the reason indented below a failure. */
export function formatReport(r: CheckReport): string {
  const lines = [`check-chapter ${r.chapter}`];
  for (const i of r.items) {
    lines.push(`  [${i.ok ? 'ok' : 'FAIL'}] ${i.title}${i.ok && i.reason ? ` (${i.reason})` : ''}`);
    if (!i.ok) for (const l of i.reason.split('\n')) lines.push(`         ${l}`);
  }
  const failed = r.items.filter((i) => !i.ok).length;
  lines.push(failed === 0 ? `all ${r.items.length} checks passed` : `${failed} of ${r.items.length} checks failed`);
  return lines.join('\n') + '\n';
}
