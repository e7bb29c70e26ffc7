/**
 * What Chapter 2's traffic remembers between two moments (traffic.ts works on it): plain JSON in
 * the world, so a save holds the connections' books along with the kernel's sockets.
 */

/** the latencies kept for the judge, `graph` and the minute's summary: the newest this many */
export const RECENT = 1000;

export interface PoolConn {
  sock: number;
  /** the handshake is done */
  up: boolean;
  /** response bytes read and not yet a whole response */
  buf: string;
}

export interface ServerConn {
  sock: number;
  buf: string;
  /** nsqd's descriptor for it */
  fd: number;
}

export interface Publish {
  id: number;
  bytes: number;
  /** when it was written, and the sizes of the two writes (the second 0 when there was one) */
  wroteAt?: number;
  head?: number;
  body?: number;
  /** Time.now before @client.publish */
  start: number;
  /** when Net::HTTP writes (after building the request); -1 once written */
  sendAt: number;
  conn: number;
}

export interface NetState {
  /** nsqd's listening sockets, -1 while it is down */
  httpListener: number;
  tcpListener: number;
  server: ServerConn[];
  pool: PoolConn[];
  turn: number;
  /** events waiting in the spool: id and size */
  spool: Array<[number, number]>;
  nextId: number;
  /** when the site's next event reaches the spool */
  nextArrival: number;
  current: Publish | null;
  /** the newest publishes: [end ms, latency in µs] */
  recent: Array<[number, number]>;
  /** publishes since the app process started, and since the box booted */
  sinceStart: number;
  published: number;
  /** the log's once-a-minute summary: when the current minute began and its latencies (µs) */
  minuteFrom: number;
  minute: number[];
  /** ids the `publish` command waits on, with their latency once done (µs, -1 while waiting) */
  watched: Array<[number, number]>;
  /** the first moment a run of RECENT publishes in a row was all under a millisecond; -1 never */
  firstFastAt: number;
  /** the publisher, its config read, opens its pool then (-1: nothing to open) */
  connectAt: number;
  /** latencies of a millisecond or more among `recent` (p99 is under a millisecond while at most 1% are) */
  slowInRecent: number;
  /** publishes of a millisecond or more since the app process started */
  slowSinceStart: number;
  /** when the site's event stream reaching this box starts (the world's history is simulated from there) */
  trafficFrom: number;
  /**
   * The newest publishes as the app's system calls saw them (strace reads these): [event id, Time.now
   * before publish, when it wrote, header bytes (the whole request when written at once), body
   * bytes written apart (0: none), when the whole answer had been read, answer bytes, the
   * connection's local port]. A publish still in flight is not here yet.
   */
  timeline: Array<[number, number, number, number, number, number, number, number]>;
}

export function emptyNet(): NetState {
  return {
    httpListener: -1,
    tcpListener: -1,
    server: [],
    pool: [],
    turn: 0,
    spool: [],
    nextId: 1,
    nextArrival: -1,
    current: null,
    recent: [],
    sinceStart: 0,
    published: 0,
    minuteFrom: -1,
    minute: [],
    watched: [],
    firstFastAt: -1,
    connectAt: -1,
    slowInRecent: 0,
    slowSinceStart: 0,
    trafficFrom: 0,
    timeline: [],
  };
}

