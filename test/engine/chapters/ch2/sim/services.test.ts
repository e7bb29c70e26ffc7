import { appService } from '../../../../../engine/chapters/ch2/sim/services';
import { fileObjectId } from '../../../../../engine/chapters/ch2/sim/config';
import { createCh2World } from '../../../../../engine/chapters/ch2/sim/create';
import type { Ch2World } from '../../../../../engine/chapters/ch2/sim/world';
import { advance } from '../../../../../engine/machine/advance';
import { file } from '../../../../../engine/machine/files';
import { RngStreams } from '../../../../../engine/rng';
import type { GameHandle } from '../../../../../engine/index';
import { newCh2Game, say, worldOf } from '../helpers';

/** what the terminal shows for a line, without the grimoire's own notes */
function run(g: GameHandle, line: string): string {
  const text = say(g, line)
    .split('\n')
    .filter((l) => !l.startsWith('✦') && !l.startsWith('[objective]'))
    .join('\n')
    .replace(/\n+$/, '');
  return text === '' ? '' : `${text}\n`;
}

const pidIn = (text: string): number => Number(/process (\d+)/.exec(text)![1]);

const REJECTED = (verb: string, member: string, comm: string) =>
  new RegExp(
    `^${verb}: Rejected send message, 1 matched rules; type="method_call", sender=":1\\.\\d+" \\(uid=1000 pid=\\d+ comm="${comm} "\\) interface="com\\.ubuntu\\.Upstart0_6\\.Job" member="${member}" error name="\\(unset\\)" requested_reply="0" destination="com\\.ubuntu\\.Upstart" \\(uid=0 pid=1 comm="/sbin/init"\\)\\n$`,
  );

describe("the two upstart jobs through service and initctl, upstart 1.12's words", () => {
  it('answers status to anyone, and start/stop/restart only to root', () => {
    const g = newCh2Game(11);
    const app = Number(run(g, 'pidof ruby').trim());
    const nsqd = Number(run(g, 'pidof nsqd').trim());
    expect(run(g, 'service publisher status')).toBe(`publisher start/running, process ${app}\n`);
    expect(run(g, 'initctl status nsqd')).toBe(`nsqd start/running, process ${nsqd}\n`);
    const list = run(g, 'initctl list');
    expect(list).toContain(`\nnsqd start/running, process ${nsqd}\n`);
    expect(list).toContain(`\npublisher start/running, process ${app}\n`);
    expect(run(g, 'service publisher stop')).toMatch(REJECTED('stop', 'Stop', 'stop publisher'));
    expect(run(g, 'echo $?')).toBe('1\n');
    expect(run(g, 'initctl start nsqd')).toMatch(REJECTED('start', 'Start', 'initctl start nsqd'));
    // restart is the service script's stop, then start: both refused
    const both = run(g, 'service publisher restart').split(/(?<=\n)/);
    expect(both[0]).toMatch(REJECTED('stop', 'Stop', 'stop publisher'));
    expect(both[1]).toMatch(REJECTED('start', 'Start', 'start publisher'));
    expect(Number(run(g, 'pidof ruby').trim())).toBe(app);
  });

  it('stops, starts and restarts the publisher with the lines upstart prints', () => {
    const g = newCh2Game(12);
    const first = Number(run(g, 'pidof ruby').trim());
    expect(run(g, 'sudo service publisher stop')).toBe('publisher stop/waiting\n');
    expect(run(g, 'pidof ruby')).toBe('');
    expect(run(g, 'service publisher status')).toBe('publisher stop/waiting\n');
    expect(run(g, 'sudo service publisher stop')).toBe('stop: Unknown instance: \n');
    expect(run(g, 'echo $?')).toBe('1\n');
    const started = run(g, 'sudo service publisher start');
    expect(started).toMatch(/^publisher start\/running, process \d+\n$/);
    const second = pidIn(started);
    expect(second).toBeGreaterThan(first);
    expect(run(g, 'sudo service publisher start')).toBe('start: Job is already running: publisher\n');
    const restarted = run(g, 'sudo service publisher restart');
    expect(restarted).toMatch(/^publisher stop\/waiting\npublisher start\/running, process \d+\n$/);
    const third = pidIn(restarted);
    expect(third).toBeGreaterThan(second);
    expect(run(g, 'sudo initctl restart publisher')).toBe(`publisher start/running, process ${third + 1}\n`);
    run(g, 'sudo service publisher stop');
    // stop's complaint is on stderr, start's line on stdout (the grimoire shows stdout first)
    expect(run(g, 'sudo service publisher restart')).toMatch(/^publisher start\/running, process \d+\nstop: Unknown instance: \n$/);
    expect(run(g, 'service publisher frobnicate')).toBe('publisher: unrecognized service\n');
    // procps 3.3.9 prints the uid of a user name longer than its 8 columns
    expect(run(g, 'ps -o user,nlwp,args -C ruby')).toBe(`USER     NLWP COMMAND\n${worldOf(g).p.publisherUid}         2 ruby /srv/publisher/bin/publisher -c /etc/publisher/publisher.yml\n`);
    // the app logged each start, and its trap logged each stop (between them, its minute summaries)
    const log = run(g, 'cat /var/log/publisher/publisher.log')
      .trim()
      .split('\n')
      .filter((l) => !/INFO -- : published \d+ events to events in the last 60s: /.test(l));
    expect(log.map((l) => l.replace(/^I, \[[^\]]+\]  INFO -- : /, '').replace(/ nsqd_url.*/, ''))).toEqual([
      'starting:',
      'stopping',
      'starting:',
      'stopping',
      'starting:',
      'stopping',
      'starting:',
      'stopping',
      'starting:',
    ]);
  });

  it('reads the config at start only: an edit waits for the restart', () => {
    const g = newCh2Game(13);
    const before = worldOf(g).app.pid;
    run(g, 'echo "tcp_nodelay: true" | sudo tee -a /etc/publisher/publisher.yml');
    run(g, 'sleep 2m');
    expect(worldOf(g).app).toMatchObject({ pid: before, config: { tcpNodelay: false } });
    run(g, 'sudo service publisher restart');
    // ruby is still loading: nothing read yet
    expect(worldOf(g).app.config).toBeNull();
    run(g, 'sleep 1');
    expect(worldOf(g).app.config).toEqual({ nsqdUrl: 'http://127.0.0.1:4151', topic: 'events', poolSize: 1, tcpNodelay: true, singleWrite: false });
    expect(run(g, 'tail -1 /var/log/publisher/publisher.log')).toMatch(/INFO -- : starting: nsqd_url=http:\/\/127\.0\.0\.1:4151 topic=events pool_size=1 tcp_nodelay=true single_write=false\n$/);
  });

  it('lets a malformed config kill the app at start, logs it, and respawns it until it runs again', () => {
    const g = newCh2Game(14);
    run(g, 'printf "topic: events\\ntcp_nodelay true\\n" | sudo tee /etc/publisher/publisher.yml');
    const restarted = run(g, 'sudo service publisher restart');
    // start returns once the process is there: ruby has not read anything yet
    expect(restarted).toMatch(/^publisher stop\/waiting\npublisher start\/running, process \d+\n$/);
    const pid = pidIn(restarted);
    run(g, 'sleep 1');
    const out = run(g, 'sudo head -9 /var/log/upstart/publisher.log');
    expect(out).toBe(
      `/usr/lib/ruby/1.9.1/psych.rb:203:in \`parse': (#<File:${fileObjectId(pid)}>): could not find expected ':' while scanning a simple key at line 2 column 1 (Psych::SyntaxError)\n` +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:203:in `parse_stream'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:151:in `parse'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:127:in `load'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `block in load_file'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `open'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `load_file'\n" +
        "\tfrom /srv/publisher/lib/publisher/config.rb:17:in `load'\n" +
        "\tfrom /srv/publisher/bin/publisher:14:in `<main>'\n",
    );
    expect(run(g, 'cat /var/log/upstart/publisher.log')).toBe('cat: /var/log/upstart/publisher.log: Permission denied\n');
    const init = run(g, 'grep "init: publisher" /var/log/syslog');
    expect(init).toMatch(new RegExp(`^\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d web-\\d\\d kernel: \\[ *\\d+\\.\\d{6}\\] init: publisher main process \\(${pid}\\) terminated with status 1\\n`, 'm'));
    expect(init).toContain('] init: publisher main process ended, respawning\n');
    // put it right: the next respawn (or a start, once upstart gave up) reads the good file
    run(g, 'printf "topic: events\\npool_size: 1\\n" | sudo tee /etc/publisher/publisher.yml');
    if (worldOf(g).app.goal === 'stop') expect(run(g, 'sudo service publisher start')).toMatch(/^publisher start\/running, process \d+\n$/);
    run(g, 'sleep 2');
    expect(worldOf(g).app).toMatchObject({ goal: 'start', config: { tcpNodelay: false } });
    expect(run(g, 'service publisher status')).toBe(`publisher start/running, process ${worldOf(g).app.pid}\n`);
  });

  it('respawns a killed daemon, and says how it died', () => {
    const g = newCh2Game(15);
    const app = Number(run(g, 'pidof ruby').trim());
    const nsqd = Number(run(g, 'pidof nsqd').trim());
    run(g, `sudo kill -9 ${app}`);
    const again = Number(run(g, 'pidof ruby').trim());
    expect(again).toBeGreaterThan(app);
    expect(run(g, 'grep "init: publisher" /var/log/syslog')).toMatch(new RegExp(`init: publisher main process \\(${app}\\) killed by KILL signal\\n.*init: publisher main process ended, respawning\\n`));
    // nsqd takes SIGTERM as a clean shutdown (exit 0, which upstart does not log) and comes back
    run(g, `sudo kill ${nsqd}`);
    const nsqd2 = Number(run(g, 'pidof nsqd').trim());
    expect(nsqd2).toBeGreaterThan(nsqd);
    const syslog = run(g, 'grep "init: nsqd" /var/log/syslog');
    expect(syslog).not.toContain('terminated');
    expect(syslog).toContain('init: nsqd main process ended, respawning\n');
    const log = run(g, 'sudo cat /var/log/upstart/nsqd.log')
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\[nsqd\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} /, '').replace(/flushing \d+ memory/, 'flushing N memory'));
    const w = worldOf(g);
    const meta = `/var/lib/nsq/nsqd.${w.p.nsqdId}.dat`;
    expect(log.slice(6)).toEqual([
      'TCP: closing 127.0.0.1:4150',
      'HTTP: closing 127.0.0.1:4151',
      `NSQ: persisting topic/channel metadata to ${meta}`,
      'NSQ: closing topics',
      'TOPIC(events): closing',
      'TOPIC(events): closing ... messagePump',
      // the publisher's messages, which no channel reads, wait in memory until nsqd stops
      'TOPIC(events): flushing N memory messages to backend',
      'DISKQUEUE(events): closing',
      'QUEUESCAN: closing',
      'LOOKUP: closing',
      'ID: closing',
      'nsqd v0.3.6 (built w/go1.5.1)',
      `ID: ${w.p.nsqdId}`,
      'TOPIC(events): created',
      `NSQ: persisting topic/channel metadata to ${meta}`,
      'TCP: listening on 127.0.0.1:4150',
      'HTTP: listening on 127.0.0.1:4151',
    ]);
    // a reload is a SIGHUP, which ruby does not catch: the app dies of it and upstart brings it back
    const before = w.app.pid;
    expect(run(g, 'sudo initctl reload publisher')).toBe('');
    expect(run(g, 'grep "init: publisher" /var/log/syslog')).toContain(`init: publisher main process (${before}) killed by HUP signal\n`);
    expect(worldOf(g).app.pid).toBeGreaterThan(before);
  });
});

describe('the signals each daemon catches', () => {
  it('lets each daemon take a signal its own way', () => {
    const g = newCh2Game(17);
    const nsqd = Number(run(g, 'pidof nsqd').trim());
    // Go ignores what nobody asked it to hear
    run(g, `sudo kill -USR1 ${nsqd}`);
    expect(Number(run(g, 'pidof nsqd').trim())).toBe(nsqd);
    run(g, `sudo kill -HUP ${nsqd}`);
    expect(run(g, 'grep "init: nsqd" /var/log/syslog')).toContain(`init: nsqd main process (${nsqd}) terminated with status 2\n`);
    const app = Number(run(g, 'pidof ruby').trim());
    run(g, `sudo kill -28 ${app}`);
    run(g, `sudo kill -13 ${app}`);
    expect(Number(run(g, 'pidof ruby').trim())).toBe(app);
    run(g, `sudo kill -11 ${app}`);
    expect(run(g, 'sudo tail -2 /var/log/upstart/publisher.log')).toBe("/srv/publisher/bin/publisher: [BUG] Segmentation fault\n(grimoire: the rest of ruby's crash report is not simulated)\n");
    expect(run(g, 'grep "init: publisher" /var/log/syslog')).toContain(`init: publisher main process (${app}) killed by ABRT signal\n`);
    expect(Number(run(g, 'pidof ruby').trim())).toBeGreaterThan(app);
  });

  it('shows Go’s and ruby 1.9.3’s handlers in /proc/PID/status', () => {
    const g = newCh2Game(16);
    expect(run(g, 'grep -E "^Sig(Ign|Cgt)" /proc/$(pidof nsqd)/status')).toBe('SigIgn:\t0000000000000000\nSigCgt:\tfffffffe7fc1feff\n');
    // HUP INT QUIT BUS USR1 SEGV USR2 PIPE ALRM TERM VTALRM
    expect(run(g, 'grep -E "^Sig(Ign|Cgt)" /proc/$(pidof ruby)/status')).toBe('SigIgn:\t0000000000000000\nSigCgt:\t0000000002007e47\n');
  });
});

describe("upstart's respawn limit (10 in 5 s) against an app that cannot start", () => {
  function brokenApp(loadMs: number): { w: Ch2World; streams: RngStreams } {
    const streams = new RngStreams(21);
    const w = createCh2World(streams);
    w.p.appLoadMs = loadMs;
    w.files.files['/etc/publisher/publisher.yml'] = file('topic: [events\n', w.now, 0o640, 'root', 'publisher');
    appService.initScript!(w, 'restart', 'root');
    return { w, streams };
  }
  const initLines = (w: Ch2World): string[] => w.logs.kmsg.flatMap((e) => (e.kind === 'line' && e.text.startsWith('init: publisher') ? [e.text] : []));

  it('gives up on a job that dies more than ten times within five seconds', () => {
    const { w, streams } = brokenApp(400);
    advance(w, streams, w.now + 20_000);
    const lines = initLines(w);
    expect(lines.filter((l) => l.endsWith('ended, respawning'))).toHaveLength(10);
    expect(lines[lines.length - 1]).toBe('init: publisher respawning too fast, stopped');
    expect(w.app).toMatchObject({ goal: 'stop', pid: 0, starts: w.app.starts });
    expect(w.k.procs.some((p) => p.comm === 'ruby')).toBe(false);
  });

  it('keeps respawning one that dies more slowly than that', () => {
    const { w, streams } = brokenApp(700);
    const starts = w.app.starts;
    advance(w, streams, w.now + 20_000);
    expect(w.app.goal).toBe('start');
    // one start every 0.7 s (and the 2 ms init takes to fork again)
    expect(w.app.starts - starts).toBeGreaterThanOrEqual(28);
    expect(initLines(w).some((l) => l.includes('too fast'))).toBe(false);
  });
});
