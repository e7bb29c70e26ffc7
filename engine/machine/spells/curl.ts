import { close, connect, getSock, nextEventAt, read, utf8Bytes, write } from '../../kernel/tcp';
import { defineCommand } from '../../shell/commands/define';
import { Out } from '../../shell/io';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { socketInode, stackOf, stepOnLo, tcpAt, TCP_STREAM } from '../tcp';
import type { MachineContext } from './context';

/**
 * curl 7.35.0 (trusty) as an HTTP/1.1 client of the machine's own loopback daemons, through the
 * kernel's simulated TCP stack: it connects, sends the whole request in one write (headers and a
 * small body together, as libcurl builds it), lets the machine run until the response is complete
 * and prints it. Which program answers, and what it says, is the scenario's business.
 */

/** curl waits at most this long for a response when -m does not say */
const DEFAULT_WAIT_MS = 300_000;
/** with nothing due on lo, look again this often (a daemon may answer from its own timer) */
const IDLE_STEP_MS = 50;
/** libcurl sends "Expect: 100-continue" past this body size (TINY_INITIAL_POST_SIZE) */
const TINY_POST = 1024;

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n";

interface Opts {
  url?: string;
  method?: string;
  data?: string;
  headers: string[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  writeOut?: string;
  output?: string;
  maxTimeMs?: number;
  fail: boolean;
}

type Parsed = { ok: true; o: Opts } | { ok: false; out: CommandResult };
const usageErr = (msg: string, code = 2): Parsed => ({ ok: false, out: { stdout: '', stderr: `curl: ${msg}\n${TRY}`, code } });

const LONG: Record<string, string> = {
  '--request': '-X',
  '--data': '-d',
  '--data-ascii': '-d',
  '--data-binary': '--data-binary',
  '--header': '-H',
  '--silent': '-s',
  '--show-error': '-S',
  '--verbose': '-v',
  '--include': '-i',
  '--head': '-I',
  '--write-out': '-w',
  '--output': '-o',
  '--max-time': '-m',
  '--fail': '-f',
};
const WITH_ARG = new Set(['-X', '-d', '--data-binary', '-H', '-w', '-o', '-m']);

function parseArgs(argv: readonly string[], readFile: (p: string) => string | null): Parsed {
  const o: Opts = { headers: [], silent: false, showError: false, verbose: false, include: false, head: false, fail: false };
  const data: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      if (o.url === undefined) o.url = a;
      else return { ok: false, out: { stdout: '', stderr: 'curl: several URLs in one command are not simulated here\n', code: 2 } };
      continue;
    }
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const short = LONG[name];
      if (!short) return usageErr(`option ${a}: is unknown`);
      if (eq > 0) inline = a.slice(eq + 1);
      a = short;
    } else if (a.length > 2) {
      const flag = `-${a[1]}`;
      if (WITH_ARG.has(flag)) {
        inline = a.slice(2);
        a = flag;
      } else {
        // a cluster of flags: -sS, -sv
        const rest = a.slice(1).split('').map((ch) => `-${ch}`);
        if (rest.some((f) => WITH_ARG.has(f))) return usageErr(`option ${a}: is unknown`);
        argv = [...argv.slice(0, i), ...rest, ...argv.slice(i + 1)];
        i--;
        continue;
      }
    }
    const value = (): string | undefined => inline ?? argv[++i];
    switch (a) {
      case '-s':
        o.silent = true;
        break;
      case '-S':
        o.showError = true;
        break;
      case '-v':
        o.verbose = true;
        break;
      case '-i':
        o.include = true;
        break;
      case '-I':
        o.head = true;
        break;
      case '-f':
        o.fail = true;
        break;
      case '-X':
      case '-d':
      case '--data-binary':
      case '-H':
      case '-w':
      case '-o':
      case '-m': {
        const v = value();
        if (v === undefined) return usageErr(`option ${argv[i - 1] ?? a}: requires parameter`);
        if (a === '-X') o.method = v;
        else if (a === '-H') o.headers.push(v);
        else if (a === '-w') o.writeOut = v;
        else if (a === '-o') o.output = v;
        else if (a === '-m') {
          if (!/^\d+(\.\d+)?$/.test(v)) return usageErr('expected a proper numerical parameter');
          o.maxTimeMs = Number(v) * 1000;
        } else {
          let d = v;
          if (d.startsWith('@')) {
            const got = readFile(d.slice(1));
            if (got === null) {
              // curl warns and sends nothing for a file it cannot read
              d = '';
            } else d = a === '-d' ? got.replace(/[\r\n]/g, '') : got;
          } else if (a === '-d') d = d.replace(/[\r\n]/g, '');
          data.push(d);
        }
        break;
      }
      case '-h':
        return { ok: false, out: { stdout: 'Usage: curl [options...] <url>\n', stderr: '', code: 0 } };
      case '-V':
        return { ok: false, out: { stdout: 'curl 7.35.0 (x86_64-pc-linux-gnu) libcurl/7.35.0 OpenSSL/1.0.1f zlib/1.2.8 libidn/1.28 librtmp/2.3\n', stderr: '', code: 0 } };
      default:
        return { ok: false, out: { stdout: '', stderr: `curl: ${a} is not simulated here (-X, -d, --data-binary, -H, -s, -S, -v, -i, -I, -w, -o, -m, -f are)\n`, code: 2 } };
    }
  }
  if (data.length) o.data = data.join('&');
  if (o.url === undefined) return usageErr('no URL specified!');
  return { ok: true, o };
}

interface Url {
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): Url | { error: string; code: number } {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([^#]*)/.exec(raw)!;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http') return { error: `curl: (1) Protocol ${m[1]} not supported or disabled in libcurl`, code: 1 };
  const host = m[2] ?? '';
  if (!host) return { error: 'curl: (3) <url> malformed', code: 3 };
  const port = m[3] ? Number(m[3]) : 80;
  if (m[3] !== undefined && (!m[3] || port > 65535)) return { error: `curl: (3) Port number ended with '${m[3] === '' ? '/' : m[3].slice(-1)}'`, code: 3 };
  let path = m[4] || '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { host, port, path };
}

/** "%{time_total}\n" and friends: the variables curl 7.35's -w knows that this curl can fill */
function writeOut(fmt: string, v: Record<string, string>): string {
  return fmt
    .replace(/%\{([a-z_]+)\}|%%|\\n|\\r|\\t/g, (s, name: string | undefined) => {
      if (s === '%%') return '%';
      if (s === '\\n') return '\n';
      if (s === '\\r') return '\r';
      if (s === '\\t') return '\t';
      return v[name!] ?? '';
    });
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

/** the response so far: its header block and how much body it promises */
function responseState(buf: string): { headerEnd: number; length: number | null; chunked: boolean } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.slice(0, end);
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
  return { headerEnd: end + 4, length: cl ? Number(cl[1]) : null, chunked };
}

function dechunk(body: string): { done: boolean; text: string } {
  let text = '';
  let at = 0;
  for (;;) {
    const nl = body.indexOf('\r\n', at);
    if (nl < 0) return { done: false, text };
    const size = parseInt(body.slice(at, nl), 16);
    if (!Number.isFinite(size)) return { done: true, text };
    if (size === 0) return { done: true, text };
    if (body.length < nl + 2 + size + 2) return { done: false, text };
    text += body.slice(nl + 2, nl + 2 + size);
    at = nl + 2 + size + 2;
  }
}

/** the bytes as text (UTF-8); a byte that does not decode stays as it is */
function decodeUtf8(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    const need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
    if (b < 0x80 || need === 0 || i + need >= bytes.length) {
      out += bytes[i];
      continue;
    }
    let cp = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes.charCodeAt(i + k);
      if ((c & 0xc0) !== 0x80) ok = false;
      cp = cp * 64 + (c & 0x3f);
    }
    if (!ok) {
      out += bytes[i];
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need;
  }
  return out;
}

export function curlSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'curl',
      path: '/usr/bin/curl',
      summary: 'make an HTTP request and print the answer',
      category: 'network',
      synopsis: ['curl [-sSvi] [-X METHOD] [-d DATA] [-H HEADER] [-w FORMAT] [-o FILE] URL'],
      description: [
        'Sends one HTTP/1.1 request and prints the body of the response. -d DATA makes it a POST of DATA (as a form, unless -H sets another Content-Type); -X chooses the method; -H adds a header; -i prints the response\'s headers too, -I asks for them only (HEAD); -v shows the conversation (> what was sent, < what came back, * what curl did).',
        'curl builds the whole request, headers and a small body, in one buffer and sends it with a single write. -w \'%{time_total}\\n\' prints how long the request took (also time_connect, time_starttransfer, http_code, size_download, size_upload). -o FILE writes the body to a file, -s says nothing but the body, -S still shows errors with -s, -m SECONDS gives up after that long, -f fails on an HTTP error.',
      ],
      options: [
        ['-d DATA, --data-binary DATA', 'POST this body (@FILE reads it from a file)'],
        ['-X METHOD, -H "Name: value"', 'the method; an extra header'],
        ['-s, -S, -v, -i', 'silent; show errors; verbose; include response headers'],
        ['-w FORMAT', "what to print after the transfer, e.g. '%{time_total}\\n'"],
        ['-o FILE, -m SECONDS', 'write the body to FILE; give up after SECONDS'],
      ],
      examples: [
        ["curl -s -w '%{time_total}\\n' -d 'hello' 'http://127.0.0.1:4151/pub?topic=events'", 'one POST and how long it took'],
        ['curl -v http://127.0.0.1:4151/ping', 'the whole conversation'],
      ],
      notes: ['Only plain http:// to this machine\'s own addresses (127.0.0.1, localhost) is simulated; the progress meter curl draws when its output is not a terminal, bodies over 1024 bytes (Expect: 100-continue), redirects and HTTPS are not.'],
      run: (ctx) => run(c, ctx),
    }),
  ];
}

function run(c: MachineContext, ctx: CommandContext): CommandResult {
  const readFile = (p: string): string | null => {
    const r = ctx.env.fs.read(normalizePath(p, ctx.cwd), ctx.user);
    return r.ok ? r.value : null;
  };
  const p = parseArgs(ctx.argv.slice(1), readFile);
  if (!p.ok) return p.out;
  const o = p.o;
  const out = new Out();
  const showErr = !o.silent || o.showError;
  const failWith = (msg: string, code: number): CommandResult => {
    if (o.verbose) out.err(`* ${msg.replace(/^curl: \(\d+\) /, '')}\n`);
    if (showErr) out.err(`${msg}\n`);
    return out.done(code);
  };
  const u = parseUrl(o.url!);
  if ('error' in u) return failWith(u.error, u.code);
  const host = u.host.toLowerCase();
  const addr = host === 'localhost' ? '127.0.0.1' : host;
  if (!/^127\.\d+\.\d+\.\d+$/.test(addr)) {
    return failWith(`curl: only this machine's own addresses (127.0.0.1, localhost) are simulated: ${u.host} is not reachable from here`, 6);
  }
  const body = o.data === undefined ? '' : utf8Bytes(o.data);
  if (body.length > TINY_POST) return failWith(`curl: request bodies over ${TINY_POST} bytes (sent after Expect: 100-continue) are not simulated here`, 2);
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const hostHeader = u.port === 80 ? u.host : `${u.host}:${u.port}`;
  const userHeaders = o.headers.filter((h) => /^[^:\s]+:/.test(h));
  const has = (name: string): boolean => userHeaders.some((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  const lines = [`${method} ${u.path} HTTP/1.1`];
  if (!has('User-Agent')) lines.push('User-Agent: curl/7.35.0');
  if (!has('Host')) lines.push(`Host: ${hostHeader}`);
  if (!has('Accept')) lines.push('Accept: */*');
  for (const h of userHeaders) if (!/^[^:]+:\s*$/.test(h)) lines.push(h);
  if (o.data !== undefined) {
    if (!has('Content-Length')) lines.push(`Content-Length: ${body.length}`);
    if (!has('Content-Type')) lines.push('Content-Type: application/x-www-form-urlencoded');
  }
  const headText = lines.map((l) => `${l}\r\n`).join('') + '\r\n';
  const request = utf8Bytes(headText) + body;

  const w = c.world();
  const tcp = tcpAt(w, c.streams);
  if (!tcp) return failWith(`curl: this machine's TCP traffic is not simulated, so nothing here can answer ${u.host}:${u.port}`, 7);
  const started = w.now;
  if (o.verbose) out.err(`* Hostname was NOT found in DNS cache\n*   Trying ${addr}...\n`);
  const uid = ctx.user === 'root' ? 0 : (c.users()[ctx.user] ?? 1000);
  const sock = connect(tcp, c.streams.stream(TCP_STREAM), { raddr: addr, rport: u.port, uid, inode: 0 });
  if (typeof sock !== 'number') return failWith(`curl: (7) Failed to connect to ${addr} port ${u.port}: Cannot assign requested address`, 7);
  const s0 = getSock(tcp, sock);
  if (s0) s0.inode = socketInode(w, sock);
  let connectedAt = -1;
  let firstByteAt = -1;
  let sent = false;
  let buf = '';
  let eof = false;
  let reset = false;
  const limit = o.maxTimeMs ?? DEFAULT_WAIT_MS;
  let complete = false;
  let stopped = false;
  const poll = (): void => {
    const s = getSock(tcp, sock);
    if (!s) {
      reset = true;
      return;
    }
    if (!sent && s.state === 'ESTABLISHED') {
      connectedAt = w.now;
      if (o.verbose) out.err(`* Connected to ${u.host} (${addr}) port ${u.port} (#0)\n${headText.split('\r\n').slice(0, -1).map((l) => `> ${l}\n`).join('')}`);
      write(tcp, sock, request);
      sent = true;
      if (o.verbose && body.length) out.err(`* upload completely sent off: ${body.length} out of ${body.length} bytes\n`);
    }
    if (sent) {
      for (;;) {
        const r = read(tcp, sock);
        if (r === '') {
          eof = true;
          break;
        }
        if (typeof r !== 'string' || r === 'EAGAIN') break;
        if (r === 'EBADF') {
          reset = true;
          break;
        }
        if (firstByteAt < 0) firstByteAt = w.now;
        buf += r;
      }
    }
    const st = responseState(buf);
    if (st) {
      const rest = buf.length - st.headerEnd;
      if (method === 'HEAD' || /^HTTP\/1\.\d (1\d\d|204|304)/.test(buf)) complete = true;
      else if (st.chunked) complete = dechunk(buf.slice(st.headerEnd)).done;
      else if (st.length !== null) complete = rest >= st.length;
    }
    if (eof) complete = true;
  };
  for (;;) {
    poll();
    if (complete || reset) break;
    if (w.now - started >= limit) break;
    if (ctx.env.interrupted?.()) {
      stopped = true;
      break;
    }
    const step = stepOnLo(w, c.streams, (ms) => c.advance(ms), started + limit, IDLE_STEP_MS);
    if (step === 'gone') break;
    if (step === 'stuck') {
      stopped = true;
      break;
    }
  }
  const elapsed = w.now - started;
  if (stopped) {
    close(tcp, sock);
    return out.done(130);
  }
  if (reset && !sent) return failWith(`curl: (7) Failed to connect to ${addr} port ${u.port}: Connection refused`, 7);
  if (!complete) {
    close(tcp, sock);
    const got = Math.max(0, buf.length);
    return failWith(`curl: (28) Operation timed out after ${Math.round(elapsed)} milliseconds with ${got} bytes received`, 28);
  }
  if (buf.length === 0) {
    close(tcp, sock);
    return failWith('curl: (52) Empty reply from server', 52);
  }
  const st = responseState(buf);
  const headBlock = st ? buf.slice(0, st.headerEnd) : buf;
  let payload = st ? buf.slice(st.headerEnd) : '';
  if (st?.chunked) payload = dechunk(payload).text;
  else if (st && st.length !== null) payload = payload.slice(0, st.length);
  const status = /^HTTP\/1\.\d (\d{3})/.exec(buf);
  const code = status ? Number(status[1]) : 0;
  if (o.verbose) {
    out.err(
      headBlock
        .split('\r\n')
        .slice(0, -1)
        .map((l) => `< ${decodeUtf8(l)}\n`)
        .join(''),
    );
  }
  close(tcp, sock);
  if (o.fail && code >= 400) {
    if (o.verbose) out.err(`* The requested URL returned error: ${code} ${/^HTTP\/1\.\d \d{3} ?(.*)/.exec(buf)?.[1]?.split('\r\n')[0] ?? ''}\n* Closing connection 0\n`);
    if (showErr) out.err(`curl: (22) The requested URL returned error: ${code} ${/^HTTP\/1\.\d \d{3} ?([^\r]*)/.exec(buf)?.[1] ?? ''}\n`);
    return out.done(22);
  }
  let shown = (o.include || o.head ? decodeUtf8(headBlock).replace(/\r\n/g, '\r\n') : '') + (o.head ? '' : decodeUtf8(payload));
  shown = shown.replace(/\r\n/g, '\n');
  if (o.output !== undefined) {
    const path = normalizePath(o.output, ctx.cwd);
    const wr = ctx.env.fs.write(path, shown, ctx.user);
    if (!wr.ok) {
      if (showErr) out.err(`Warning: Failed to create the file ${o.output}: ${errnoMessage(wr.errno)}\ncurl: (23) Failed writing body (0 != ${payload.length})\n`);
      return out.done(23);
    }
  } else out.out(shown);
  if (o.verbose) out.err(`* Connection #0 to host ${u.host} left intact\n`);
  if (o.writeOut !== undefined) {
    const v: Record<string, string> = {
      time_total: secs(elapsed),
      time_connect: secs(connectedAt >= 0 ? connectedAt - started : 0),
      time_namelookup: secs(0),
      time_pretransfer: secs(connectedAt >= 0 ? connectedAt - started : 0),
      time_starttransfer: secs(firstByteAt >= 0 ? firstByteAt - started : 0),
      http_code: String(code).padStart(3, '0'),
      response_code: String(code).padStart(3, '0'),
      size_download: String(payload.length),
      size_upload: String(body.length),
      size_header: String(headBlock.length),
      size_request: String(request.length),
      num_connects: '1',
      url_effective: o.url!,
      local_ip: '127.0.0.1',
      remote_ip: addr,
      remote_port: String(u.port),
    };
    out.out(writeOut(o.writeOut, v));
  }
  return out.done(0);
}
