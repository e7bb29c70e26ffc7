import { complete } from '../../../engine/shell/complete';
import { harness } from './fake-env';

const h = harness();
const c = (line: string) => complete(line, h.env, h.state);

describe('completion', () => {
  test('command names where a command goes', () => {
    expect(c('sl')).toEqual({ from: 0, candidates: ['slabtop', 'sleep'] });
    expect(c('echo hi | gr')).toEqual({ from: 10, candidates: ['grep'] });
    expect(c('true && wh')).toEqual({ from: 8, candidates: ['which', 'whoami'] });
    expect(c('false || su').candidates).toEqual(['sudo']);
    expect(c('echo; ca').candidates).toEqual(['cat']);
    expect(c('sudo sla')).toEqual({ from: 5, candidates: ['slabtop'] });
    expect(c('sudo -u nsd sla').candidates).toEqual(['slabtop']);
    expect(c('echo $(wh').candidates).toEqual(['which', 'whoami']);
    expect(c('X=1 sla').candidates).toEqual(['slabtop']);
    expect(c('repeat 3 sla').candidates).toEqual(['slabtop']);
    expect(c('man gr').candidates).toEqual(['grep']);
  });

  test('paths, with / after directories, relative and absolute', () => {
    expect(c('cat /pr')).toEqual({ from: 4, candidates: ['/proc/'] });
    expect(c('cat /proc/').candidates).toEqual(['/proc/1/', '/proc/1200/', '/proc/2714/', '/proc/312/', '/proc/meminfo', '/proc/slabinfo', '/proc/sys/']);
    expect(c('cat /proc/sys/vm/d').candidates).toEqual(['/proc/sys/vm/drop_caches']);
    expect(c('cat no')).toEqual({ from: 4, candidates: ['noexec.sh', 'notes.txt'] });
    expect(c('cat .b').candidates).toEqual(['.bashrc']);
    expect(c('ls ~/').candidates).toEqual(['~/noexec.sh', '~/notes.txt']);
    expect(c('echo x > /tm').candidates).toEqual(['/tmp/']);
    expect(c('./no').candidates).toEqual(['./noexec.sh', './notes.txt']);
    expect(c('cat /root/').candidates).toEqual([]);
  });

  test('PIDs for kill and -p, flags and sub-commands from the spec', () => {
    expect(c('kill ')).toEqual({ from: 5, candidates: ['1', '1200', '2714', '312'] });
    expect(c('kill 12').candidates).toEqual(['1200']);
    expect(c('slabtop -p ').candidates).toEqual(['1', '1200', '2714', '312']);
    expect(c('slabtop -').candidates).toEqual(['--once', '-o']);
    expect(c('grep -').candidates).toContain('-i');
    expect(c('ls -').candidates).toEqual(['-1', '-A', '-R', '-S', '-a', '-d', '-h', '-l', '-r', '-t']);
  });

  test('variables', () => {
    expect(c('echo $HO').candidates).toEqual(['$HOME', '$HOSTNAME']);
  });

  test('never throws, always sorted and unique', () => {
    for (const line of ['', ' ', '"', "'unterminated", '|', '$(', '\\', 'cat "no', '>>', 'sudo ', 'a b c d e f']) {
      const r = c(line);
      expect(r.from).toBeGreaterThanOrEqual(0);
      expect(r.from).toBeLessThanOrEqual(line.length);
      expect([...new Set(r.candidates)].sort()).toEqual(r.candidates);
    }
  });
});
