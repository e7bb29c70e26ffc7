import type { GameHandle } from '../../../../engine/index';
import { newGame } from '../../chapters/ch1/walkthrough.helpers';

/**
 * The commands an SRE types in the first minutes, played through a real game: what each prints
 * must agree with the other views of the same machine at the same instant.
 */
/** only what the spells printed (stdout and stderr), not the story around them */
function spellText(g: GameHandle, line: string): string {
  return g
    .step(line)
    .filter((b) => b.kind === 'spell-output' || b.kind === 'error')
    .map((b) => {
      const t = (b as { text: string }).text;
      return t.endsWith('\n') ? t : `${t}\n`;
    })
    .join('')
    .replace(/\n+$/, '');
}

describe('first-minute commands agree with the rest of the machine', () => {
  const g = newGame(7);
  const one = (line: string): string => spellText(g, line);

  it('pmap: the total is VSZ plus the vsyscall page, and -x RSS adds up to ps RSS', () => {
    const pid = Number(one('pidof cron').trim());
    const [ps, pmap, pmapX] = one(`ps -o vsz=,rss= -p ${pid}; echo ==; sudo pmap ${pid} | tail -n 1; echo ==; sudo pmap -x ${pid} | tail -n 1`).split('\n==\n');
    const [vsz, rss] = ps!.trim().split(/\s+/).map(Number) as [number, number];
    expect(Number(/total\s+(\d+)K/.exec(pmap!)![1])).toBe(Math.floor(vsz / 4) * 4 + 4);
    const totals = /total kB\s+(\d+)\s+(\d+)\s+(\d+)/.exec(pmapX!)!.slice(1).map(Number);
    expect(totals[1]).toBe(rss);
  });

  it("pmap and /proc/PID/maps refuse another user's process, and a kernel thread has nothing mapped", () => {
    expect(one('pmap 1; echo "status $?"')).toBe('status 1');
    expect(one('cat /proc/1/maps')).toContain('Permission denied');
    expect(one('pmap 2')).toBe('2:   [kthreadd]\n total                0K');
    expect(one('pmap 999999; echo "status $?"')).toBe('status 42');
  });

  it('pgrep nsd lists exactly the pids pidof gives, and pgrep -c counts them', () => {
    const [pg, pof, count] = one('pgrep nsd; echo ==; pidof nsd; echo ==; pgrep -c nsd').split('\n==\n');
    const a = pg!.trim().split('\n').map(Number);
    const b = pof!.trim().split(' ').map(Number);
    expect(a.length).toBeGreaterThan(0);
    expect([...a].sort((x, y) => x - y)).toEqual([...b].sort((x, y) => x - y));
    expect(Number(count)).toBe(a.length);
  });

  it('pkill signals through kill(2): refused for root\'s process, and a stopped atd shows T in ps', () => {
    expect(one('pkill -x atd; echo "status $?"')).toMatch(/^pkill: killing pid \d+ failed: Operation not permitted\nstatus 0$/);
    const pid = one('pgrep -x atd').trim();
    expect(one('sudo pkill -e -STOP -x atd')).toBe(`atd killed (pid ${pid})`);
    expect(one(`ps -o stat= -p ${pid}`).trim()).toMatch(/^T/);
    one('sudo pkill -CONT -x atd');
    expect(one(`ps -o stat= -p ${pid}`).trim()).toMatch(/^S/);
  });

  it('who, w and last agree with ps, uptime and uname about the login and the boot', () => {
    const [whoU, bash, w, up, last, whoB, uname] = one('who -u; echo ==; ps -o pid=,lstart= -C bash; echo ==; w; echo ==; uptime; echo ==; last; echo ==; who -b; echo ==; uname -r').split('\n==\n');
    const [shellPid, ...lstart] = bash!.trim().split(/\s+/);
    const row = /^ops +pts\/0 +(\d{4}-\d\d-\d\d) (\d\d:\d\d) +\. +(\d+) \((\S+)\)$/.exec(whoU!.trim())!;
    expect(row).not.toBeNull();
    expect(row[3]).toBe(shellPid);
    expect(lstart.join(' ')).toContain(` ${row[2]}:`);
    // w's first line is uptime's line, taken at the same instant
    expect(w!.split('\n')[0]).toBe(up!.trim().replace(/^/, ' '));
    expect(w!.split('\n')[2]).toMatch(new RegExp(`^ops +pts/0 +${row[4]!.replace(/\./g, '\\.')} +${row[2]} `));
    const lines = last!.split('\n');
    expect(lines[0]).toMatch(/^ops +pts\/0 .* still logged in/);
    const boot = lines.find((l) => l.startsWith('reboot'))!;
    expect(boot).toContain(`system boot  ${uname!.trim().slice(0, 16)} `);
    const bootClock = /system boot +(\S+) (\d\d:\d\d)/.exec(whoB!)!;
    expect(boot).toContain(` ${bootClock[2]} - `);
  });

  it('pstree holds every process ps lists under init; ulimit and /proc/PID/limits agree on the limit boot derived from memory', () => {
    const [tree, ps, nproc, mem, limits, ulimit] = one('pstree -p -l; echo ==; ps -e -o pid=,ppid=; echo ==; nproc; echo ==; grep MemTotal /proc/meminfo; echo ==; cat /proc/1/limits; echo ==; ulimit -n -u').split('\n==\n');
    const inTree = new Set([...tree!.matchAll(/\((\d+)\)/g)].map((m) => Number(m[1])));
    const rows = ps!.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
    // everything but the kernel threads (kthreadd and its children) and ps itself hangs from init
    const kernel = new Set([2, ...rows.filter(([, ppid]) => ppid === 2).map(([pid]) => pid)]);
    const user = rows.filter(([pid]) => pid !== 0 && !kernel.has(pid)).map(([pid]) => pid);
    for (const pid of user.slice(0, -1)) expect(inTree.has(pid)).toBe(true);
    expect(inTree.has(2)).toBe(false);
    expect(Number(nproc)).toBeGreaterThanOrEqual(1);
    // the process limit fork_init() derived from memory, the same in /proc and in bash
    const memKb = Number(/(\d+)/.exec(mem!)![1]);
    const expected = Math.floor(Math.floor(Math.floor((memKb - 14_000) / 4) / 32) / 2);
    expect(limits).toContain(`Max processes             ${String(expected).padEnd(20)} ${String(expected).padEnd(20)} processes`);
    expect(ulimit!.split('\n').slice(0, 2).join('\n')).toBe(`open files                      (-n) 1024\nmax user processes              (-u) ${expected}`);
    expect(one('ulimit -a')).toBe(
      [
        'core file size          (blocks, -c) 0',
        'data seg size           (kbytes, -d) unlimited',
        'scheduling priority             (-e) 0',
        'file size               (blocks, -f) unlimited',
        `pending signals                 (-i) ${expected}`,
        'max locked memory       (kbytes, -l) 64',
        'max memory size         (kbytes, -m) unlimited',
        'open files                      (-n) 1024',
        'pipe size            (512 bytes, -p) 8',
        'POSIX message queues     (bytes, -q) 819200',
        'real-time priority              (-r) 0',
        'stack size              (kbytes, -s) 8192',
        'cpu time               (seconds, -t) unlimited',
        `max user processes              (-u) ${expected}`,
        'virtual memory          (kbytes, -v) unlimited',
        'file locks                      (-x) unlimited',
      ].join('\n'),
    );
    expect(one('ulimit; ulimit -Hn')).toBe('unlimited\n4096');
  });

  it('du counts whole 4K blocks of what the files hold, as ls -l sizes them', () => {
    const out = one('cd; seq 2000 > a; seq 10 > b; ls -l a; echo ==; du -a /home/ops; echo ==; du -sch /home/ops /home/ops/b');
    const [ls, du, sh] = out.split('\n==\n');
    const bytes = Number(ls!.split(/\s+/)[4]);
    expect(bytes).toBe(8893);
    // the home directory itself takes one block
    expect(du).toBe(['12\t/home/ops/a', '4\t/home/ops/b', '20\t/home/ops'].join('\n'));
    expect(sh).toBe('20K\t/home/ops\n4.0K\t/home/ops/b\n24K\ttotal');
  });

  it("du quotes a name it cannot read or find as coreutils 8.21's quote() does in a UTF-8 locale", () => {
    const out = one('cd; mkdir -p locked/in; chmod 000 locked; du /home/ops/locked /home/ops/nothing; echo "du $?"');
    expect(out).toBe([
      'du: cannot read directory ‘/home/ops/locked’: Permission denied',
      '4\t/home/ops/locked',
      'du: cannot access ‘/home/ops/nothing’: No such file or directory',
      'du 1',
    ].join('\n'));
  });

  it('netstat and ss show port 53 held by the nsd pgrep finds, and not once nsd is stopped', () => {
    const [netstat, ss, pids] = one('sudo netstat -tulpn; echo ==; sudo ss -tulpn; echo ==; pgrep -x nsd').split('\n==\n');
    const nsd = pids!.trim().split('\n').map(Number);
    const udp53 = netstat!.split('\n').find((l) => /^udp +0 +0 0\.0\.0\.0:53 /.test(l))!;
    expect(nsd).toContain(Number(/ (\d+)\/nsd/.exec(udp53)![1]));
    expect(netstat).toMatch(/^tcp +0 +0 0\.0\.0\.0:53 +0\.0\.0\.0:\* +LISTEN +\d+\/nsd/m);
    const users = [...ss!.split('\n').find((l) => /^udp .* \*:53 /.test(l))!.matchAll(/\("nsd",(\d+),\d+\)/g)].map((m) => Number(m[1]));
    expect(users.length).toBeGreaterThan(0);
    for (const pid of users) expect(nsd).toContain(pid);
    one('sudo service nsd stop');
    const after = one('sudo netstat -tulpn; sudo ss -tulpn; pgrep -x nsd; echo "pgrep $?"');
    expect(after).not.toMatch(/:53 /);
    expect(after).toContain('pgrep 1');
    expect(after).toMatch(/0\.0\.0\.0:22 .* LISTEN +\d+\/sshd/);
    one('sudo service nsd start');
    expect(one('sudo ss -ulpn')).toMatch(/\*:53 .*users:\(\("nsd"/);
  });

  it('initctl list names the same pids as pgrep, and a killed cron is stop/waiting', () => {
    const [list, cron, rsyslog] = one('initctl list; echo ==; pgrep -x -P 1 cron; echo ==; pgrep -x rsyslogd').split('\n==\n');
    expect(list).toContain(`cron start/running, process ${cron!.trim()}\n`);
    expect(list).toContain(`rsyslog start/running, process ${rsyslog!.trim()}\n`);
    one(`sudo kill ${cron!.trim()}`);
    expect(one('initctl status cron')).toBe('cron stop/waiting');
    expect(one('lsb_release -a')).toContain('Description:\tUbuntu 14.04.2 LTS');
  });

  it('a crontab installed with crontab - runs at its minute, as the user', () => {
    // a box of its own: an earlier test here killed cron
    const box = newGame(11);
    const one = (line: string): string => spellText(box, line);
    const now = one('date -u +%H:%M');
    const [h, m] = now.split(':').map(Number) as [number, number];
    const at = (h * 60 + m + 2) % 1440;
    const line = `${at % 60} ${Math.floor(at / 60)} * * * date +%H:%M >> /home/ops/cron.log`;
    expect(one(`echo "${line}" | crontab -; echo "status $?"; crontab -l`)).toBe(`status 0\n${line}`);
    expect(one('cat /home/ops/cron.log; echo "status $?"')).toContain('No such file');
    one('sleep 200');
    const ran = one('cat /home/ops/cron.log');
    expect(ran).toBe(`${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`);
    expect(one('echo "61 * * * * x" | crontab -; echo "status $?"')).toBe('"-":0: bad minute\nerrors in crontab file, can\'t install.\nstatus 1');
    expect(one('crontab -r; crontab -l; echo "status $?"')).toBe('no crontab for ops\nstatus 1');
  });

  it('dpkg -l shows the version apt-cache policy calls installed', () => {
    const [dpkg, policy] = one('dpkg -l nsd; echo ==; apt-cache policy nsd').split('\n==\n');
    const installed = /Installed: (\S+)/.exec(policy!)![1]!;
    expect(dpkg!.split('\n').pop()).toMatch(new RegExp(`^ii  nsd +${installed.replace(/[.+~]/g, '\\$&')} +amd64 +`));
  });

  it('ls /proc/PID lists a 3.16 directory; environ keeps its 0400 rule; the rest say they are not simulated', () => {
    const pid = one('pgrep -o -x nsd').trim();
    const ls = one(`ls /proc/${pid}`).split(/\s+/);
    for (const name of ['cmdline', 'environ', 'limits', 'maps', 'oom_score', 'oom_score_adj', 'smaps', 'stack', 'status', 'wchan']) expect(ls).toContain(name);
    expect(one(`cat /proc/${pid}/environ`)).toBe(`cat: /proc/${pid}/environ: Permission denied`);
    expect(one(`sudo cat /proc/${pid}/stack`)).toBe(`/proc/${pid}/stack: not simulated on this machine`);
  });

  it("oom_score is oom_badness(): resident and swapped pages and page tables, per thousand of RAM and swap", () => {
    const pid = one('pgrep -o -x nsd').trim();
    const [score, status, mem] = one(`cat /proc/${pid}/oom_score; echo ==; cat /proc/${pid}/status; echo ==; cat /proc/meminfo`).split('\n==\n');
    const kb = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)![1]);
    const totalPages = kb(mem!, 'MemTotal') / 4 + kb(mem!, 'SwapTotal') / 4;
    const points = kb(status!, 'VmRSS') / 4 + kb(status!, 'VmSwap') / 4 + kb(status!, 'VmPTE') / 4;
    expect(Number(score)).toBe(Math.trunc((points * 1000) / totalPages));
  });

  it('lsof -i :53 lists every nsd process ss names for the port', () => {
    const [lsof, ss] = one('sudo lsof -i :53 -n -P; echo ==; sudo ss -ulpn').split('\n==\n');
    const lsofPids = lsof!.split('\n').slice(1).filter((l) => / UDP \*:53$/.test(l)).map((l) => Number(l.split(/\s+/)[1]));
    const ssPids = [...ss!.split('\n').find((l) => / \*:53 /.test(l))!.matchAll(/\("nsd",(\d+),\d+\)/g)].map((m) => Number(m[1]));
    expect(lsofPids.length).toBeGreaterThan(0);
    expect([...lsofPids].sort()).toEqual([...ssPids].sort());
  });

  it('/proc/zoneinfo, buddyinfo and cpuinfo print the 3.16 files (test/engine/machine/procMemFiles.test.ts checks them)', () => {
    expect(one('head -2 /proc/zoneinfo; head -1 /proc/buddyinfo; head -1 /proc/cpuinfo')).toMatch(
      /^Node 0, zone      DMA\n  pages free     \d+\nNode 0, zone      DMA( +\d+ ){11}\nprocessor\t: 0$/,
    );
  });
});
