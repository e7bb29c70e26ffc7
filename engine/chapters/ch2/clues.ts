/**
 * What the player has seen, read from what they ran and what it printed (plain text) — each clue
 * only from output the simulation really produced.
 */
import type { ChapterProgress } from '../../chapter';
import type { ClueId } from './storyContract';
import { p50Us, p99Us } from './sim/traffic';
import type { Ch2World } from './sim/world';

const has = (argvs: string[][], name: string): boolean => argvs.some((a) => a.some((x) => x === name || x.endsWith(`/${name}`)));
const mentions = (argvs: string[][], text: string): boolean => argvs.some((a) => a.some((x) => x.includes(text)));

/** tcpdump lines: [seconds of day, source port, dest port, flags, length] */
function packets(shown: string): Array<[number, number, number, string, number]> {
  const out: Array<[number, number, number, string, number]> = [];
  const re = /^\s*(\d\d):(\d\d):(\d\d)\.(\d{6}) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): Flags \[([^\]]*)\].*length (\d+)/gm;
  for (let m = re.exec(shown); m; m = re.exec(shown)) {
    const t = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1e6;
    out.push([t, Number(m[5]), Number(m[6]), m[7]!, Number(m[8])]);
  }
  return out;
}

/** ss -tin caught a publish mid-stall: the app's end (peer port 4151) with bytes in its Send-Q */
function waitingSeen(shown: string): boolean {
  return /^ESTAB\s+\d+\s+([1-9]\d*)\s+\S+:\d+\s+\S+:4151\s*$/m.test(shown) && shown.includes('ato:');
}

/** a client segment with data, then a bare ACK from nsqd's port 30 ms or more later, then more data */
function ackGapSeen(shown: string): boolean {
  const p = packets(shown);
  for (let i = 0; i + 2 < p.length; i++) {
    const [t0, , dst0, f0, len0] = p[i]!;
    const [t1, src1, , f1, len1] = p[i + 1]!;
    const [, , dst2, , len2] = p[i + 2]!;
    if (dst0 === 4151 && f0.includes('P') && len0 > 0 && src1 === 4151 && f1 === '.' && len1 === 0 && t1 - t0 >= 0.03 && dst2 === 4151 && len2 > 0) return true;
  }
  return false;
}

export function detectClues(w: Ch2World, progress: ChapterProgress, argvs: string[][], shown: string): ClueId[] {
  const found: ClueId[] = [];
  const add = (id: ClueId): void => {
    if (!progress.clues.includes(id) && !found.includes(id)) found.push(id);
  };
  const timed = /\bin (\d+\.\d\d)ms/.exec(shown);
  // the symptom is seen when a publish was seen to be slow
  const slow = timed && Number(timed[1]) >= 20 ? timed : null;
  if ((has(argvs, 'publish') && slow) || (has(argvs, 'graph') && shown.includes('publish latency')) || (mentions(argvs, 'publisher.log') && /median \d+\.\d\dms/.test(shown))) add('latency_measured');
  if ((has(argvs, 'top') || has(argvs, 'ps')) && /\bnsqd\b/.test(shown)) add('daemon_idle');
  if (has(argvs, 'curl') && mentions(argvs, '/stats') && shown.includes('topic')) add('daemon_idle');
  if (has(argvs, 'curl') && mentions(argvs, '/pub') && /^OK$/m.test(shown)) add('curl_fast');
  if (has(argvs, 'tcpdump') && ackGapSeen(shown)) add('tcpdump_ack_gap');
  if (has(argvs, 'ss') && argvs.some((a) => a.some((x) => /^-\w*i/.test(x))) && waitingSeen(shown)) add('ss_notsent');
  // Ruby's Net::HTTP: two writes return at once, then the read finds nothing and select() waits
  if (has(argvs, 'strace') && /write\(.*\n.*write\(.*\n(?:.*\n){0,4}.*(?:select|read)\(.*<0\.0[3-9]\d*>/.test(shown)) add('strace_read_waits');
  if ((mentions(argvs, 'nsq_client.rb') && shown.includes('http.request(req)')) || (has(argvs, 'strace') && /write\(\d+, "POST [^\n]*\n[^\n]*write\(\d+, "\{/.test(shown))) add('two_writes');
  // a fresh connection's first publishes fast, later ones slow again, both seen since a restart
  const notes = progress.notes;
  if (typeof notes.restartedAt === 'number' && has(argvs, 'publish') && timed) {
    const v = Number(timed[1]);
    if (v < 1) notes.freshFast = true;
    if (v >= 20 && notes.freshFast === true) add('fresh_fast');
  }
  return found;
}

export function journalEntry(w: Ch2World, id: string): string {
  const p50 = (p50Us(w.net) / 1000).toFixed(2);
  const p99 = (p99Us(w.net) / 1000).toFixed(2);
  switch (id) {
    case 'latency_measured':
      return `Publishing to nsqd on ${w.p.hostname} takes about ${p50} ms a message (p99 ${p99} ms), on a connection to localhost.`;
    case 'daemon_idle':
      return 'nsqd is idle: no CPU to speak of and nothing queued. It is not the one being slow.';
    case 'curl_fast':
      return 'curl POSTs the same message to the same nsqd in well under a millisecond.';
    case 'fresh_fast':
      return 'On a fresh connection the first publishes are fast; then the stall comes back.';
    case 'strace_read_waits':
      return "strace: the app's two write() calls return at once; the read() for nsqd's answer is where the time goes.";
    case 'tcpdump_ack_gap':
      return "tcpdump: the headers go out, nsqd's side sends a bare ACK a delayed-ACK timeout later, and only then does the body leave.";
    case 'ss_notsent':
      return "ss -tin: the app's side holds bytes behind an unacknowledged segment; nsqd's side is waiting out its ato.";
    case 'two_writes':
      return 'The app writes each POST in two pieces: the headers, then the body.';
    default:
      return id;
  }
}
