/**
 * The bytes the two programs put on the connection: Ruby 1.9.3's Net::HTTP POST (its header order
 * is the order the headers were set in: Net::HTTPGenericRequest#initialize sets Accept-Encoding,
 * Accept and User-Agent, the app sets Content-Type, HTTP#begin_transport sets Host and
 * send_request_with_body sets Content-Length) and the answer of nsqd 0.3.6's /pub through Go
 * 1.5's net/http (Date and Content-Length first, then the sniffed Content-Type).
 */

const CRLF = '\r\n';

export interface PostRequest {
  head: string;
  body: string;
}

/** Net::HTTP::Post for `path` with a JSON body, to nsqd's HTTP address */
export function rubyPost(path: string, hostPort: string, body: string): PostRequest {
  const head =
    `POST ${path} HTTP/1.1${CRLF}` +
    `Accept-Encoding: gzip;q=1.0,deflate;q=0.6,identity;q=0.3${CRLF}` +
    `Accept: */*${CRLF}` +
    `User-Agent: Ruby${CRLF}` +
    `Content-Type: application/json${CRLF}` +
    `Host: ${hostPort}${CRLF}` +
    `Content-Length: ${body.length}${CRLF}${CRLF}`;
  return { head, body };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** RFC 1123 in GMT, as Go's http.TimeFormat writes the Date header */
export function httpDate(t: number): string {
  const d = new Date(Math.floor(t / 1000) * 1000);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** what nsqd answers a good /pub with */
export function nsqdOk(t: number): string {
  return `HTTP/1.1 200 OK${CRLF}Date: ${httpDate(t)}${CRLF}Content-Length: 2${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}OK`;
}

/** and a request it cannot take (Go's http.Error text for a 400) */
export function nsqdBad(t: number, text: string): string {
  const body = `${text}\n`;
  return `HTTP/1.1 400 Bad Request${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Date: ${httpDate(t)}${CRLF}Content-Length: ${body.length}${CRLF}${CRLF}${body}`;
}

export interface ParsedMessage {
  /** bytes the whole message took from the front of the buffer */
  length: number;
  startLine: string;
  body: string;
}

/**
 * A whole HTTP/1.1 message at the front of `buf` (headers and Content-Length bytes of body), or
 * null while more is still to come. Only what the two programs look at is parsed.
 */
export function takeMessage(buf: string): ParsedMessage | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.slice(0, end).toLowerCase();
  const at = head.indexOf('\r\ncontent-length:');
  let len = 0;
  if (at >= 0) {
    const stop = head.indexOf('\r\n', at + 2);
    const n = Number(head.slice(at + 17, stop < 0 ? head.length : stop).trim());
    if (Number.isFinite(n) && n >= 0) len = n;
  }
  const start = end + 4;
  if (buf.length < start + len) return null;
  const line = buf.indexOf('\r\n');
  return { length: start + len, startLine: buf.slice(0, line < 0 || line > end ? end : line), body: buf.slice(start, start + len) };
}

const EVENT_TYPES = ['page_view', 'signup', 'checkout', 'search', 'login'];

/** the JSON of the site's event number `id`, `size` bytes long */
export function eventBody(id: number, size: number): string {
  const type = EVENT_TYPES[id % EVENT_TYPES.length]!;
  const core = `{"id":${id},"type":"${type}"`;
  const pad = Math.max(0, size - core.length - 2 - 8);
  return pad > 0 ? `${core},"ref":"${'x'.repeat(pad)}"}` : `${core}}`;
}
