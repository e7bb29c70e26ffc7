import { formatSyslog, formatSyslogLine, kernelToSyslog } from '../../../engine/formats/syslog';

const T = Date.UTC(2015, 2, 4, 3, 12, 1);

describe('rsyslog traditional format', () => {
  it('writes "Mon dd HH:MM:SS host tag[pid]: text" with a space-padded day', () => {
    expect(formatSyslogLine({ time: T, host: 'ns2', tag: 'nsd', pid: 1234, text: 'error: fork failed: Cannot allocate memory' })).toBe(
      'Mar  4 03:12:01 ns2 nsd[1234]: error: fork failed: Cannot allocate memory',
    );
    expect(formatSyslogLine({ time: T, host: 'ns2', tag: 'CRON', pid: 99, text: '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)' })).toBe(
      'Mar  4 03:12:01 ns2 CRON[99]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)',
    );
  });
  it('carries the printk stamp inside kernel lines', () => {
    const boot = T - 12345678.901;
    const r = kernelToSyslog({ sinceBootMs: 12345678.901, level: 3, text: 'Killed process 2415 (nsd) total-vm:493824kB, anon-rss:180912kB, file-rss:1200kB' }, boot, 'ns2');
    expect(formatSyslogLine(r)).toBe(
      'Mar  4 03:12:01 ns2 kernel: [12345.678901] Killed process 2415 (nsd) total-vm:493824kB, anon-rss:180912kB, file-rss:1200kB',
    );
  });
  it('keeps a continuation line\'s own leading space', () => {
    expect(formatSyslogLine({ time: T, host: 'ns2', tag: 'kernel', text: '[12345.678901]  active_file:30 inactive_file:60 isolated_file:0' })).toBe(
      'Mar  4 03:12:01 ns2 kernel: [12345.678901]  active_file:30 inactive_file:60 isolated_file:0',
    );
    expect(formatSyslog([])).toBe('');
  });
});
