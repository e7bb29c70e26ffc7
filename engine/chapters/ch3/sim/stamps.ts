/** mongod 2.6's log timestamp (`2015-05-12T03:00:01.234+0000 [conn42] ...`) back to virtual ms */
export function mongodStamp(line: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})\+0000 /.exec(line);
  if (!m) return null;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}
