/**
 * nslookup from dnsutils 9.9.5 (Ubuntu 14.04), non-interactive: the server it asked, then the
 * answer in nslookup's own words (bin/dig/nslookup.c: printmessage, printsection), and the blank
 * line main() prints on the way out.
 */
import type { ToolExit } from './args';

interface NslookupRecord {
  name: string;
  type: string;
  data: string;
}

export type NslookupReply =
  | { kind: 'timeout' }
  | { kind: 'reply'; rcode: string; aa: boolean; answers: readonly NslookupRecord[] };

export interface NslookupRun {
  /** the name as typed, for "Can't find" */
  typed: string;
  qname: string;
  /** the server as named (or from /etc/resolv.conf) and its address with port */
  server: { name: string; address: string };
  reply: NslookupReply;
}

/** rtypetext[] of nslookup.c for the types a zone here holds */
const RTYPE_TEXT: Record<string, string> = {
  NS: 'nameserver = ',
  CNAME: 'canonical name = ',
  PTR: 'name = ',
  MX: 'mail exchanger = ',
  TXT: 'text = ',
  AAAA: 'has AAAA address ',
};

function bare(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

function soaLines(r: NslookupRecord): string {
  const [origin = '', mail = '', serial = '', refresh = '', retry = '', expire = '', minimum = ''] = r.data.split(/\s+/);
  return (
    `${bare(r.name)}\n\torigin = ${bare(origin)}\n\tmail addr = ${bare(mail)}\n\tserial = ${serial}\n` +
    `\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}\n`
  );
}

function recordLines(r: NslookupRecord): string {
  if (r.type === 'A') return `Name:\t${bare(r.name)}\nAddress: ${r.data}\n`;
  if (r.type === 'SOA') return soaLines(r);
  return `${bare(r.name)}\t${RTYPE_TEXT[r.type] ?? `rdata_${r.type} = `}${r.data}\n`;
}

/** stdout and exit status of `nslookup NAME [SERVER]`. */
export function formatNslookup(run: NslookupRun): ToolExit {
  const r = run.reply;
  if (r.kind === 'timeout') return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 };
  let out = `Server:\t\t${run.server.name}\nAddress:\t${run.server.address}\n\n`;
  if (r.rcode !== 'NOERROR') return { stdout: `${out}** server can't find ${bare(run.qname)}: ${r.rcode}\n\n`, stderr: '', code: 1 };
  if (!r.aa) out += 'Non-authoritative answer:\n';
  out += r.answers.length > 0 ? r.answers.map(recordLines).join('') : `*** Can't find ${run.typed}: No answer\n`;
  return { stdout: `${out}\n`, stderr: '', code: 0 };
}
