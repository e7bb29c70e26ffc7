import { finishedBar, formatFinished, formatRetrieval, humanReadable, printDecimal, retrRate } from '../../../engine/formats/wget';

/** GNU Wget 1.15's log, written out by hand from src/progress.c, http.c, host.c, retr.c and utils.c at v1.15. */

const URL = 'http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb';
const FILE = 'linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb';
const HOST = { name: 'kernel.ubuntu.com', ip: '91.189.94.216', port: 80 };
const AT = Date.UTC(2015, 2, 12, 14, 2, 11);

describe('wget 1.15 numbers', () => {
  it('human_readable: 1024-based, one decimal below ten', () => {
    expect(humanReadable(1023)).toBe('1023');
    expect(humanReadable(702_758)).toBe('686K');
    expect(humanReadable(9_573_120)).toBe('9.1M');
    expect(humanReadable(49_597_645)).toBe('47M');
  });
  it('retr_rate and print_decimal', () => {
    expect(retrRate(49_597_645, 6.4)).toBe('7.39 MB/s');
    expect(retrRate(500, 1)).toBe('500 B/s');
    expect(retrRate(150 * 1024, 1)).toBe('150 KB/s');
    expect(printDecimal(6.44)).toBe('6.4');
    expect(printDecimal(0.09)).toBe('0.09');
    expect(printDecimal(12.4)).toBe('12');
  });
});

describe('wget 1.15 log', () => {
  it('draws the finished bar 79 columns wide, elapsed time in place of the ETA', () => {
    expect(finishedBar(49_597_645, 6.4)).toBe('100%[======================================>] 49,597,645  7.39MB/s   in 6.4s   ');
    expect(finishedBar(702_758, 0.09)).toBe('100%[======================================>] 702,758     7.45MB/s   in 0.09s  ');
    expect(finishedBar(49_597_645, 14.2)).toBe('100%[======================================>] 49,597,645  3.33MB/s   in 14s    ');
  });

  it('logs a saved file: lookup, connection, length, bar, rate', () => {
    expect(formatRetrieval({ kind: 'saved', url: URL, at: AT, host: HOST, bytes: 49_597_645, contentType: 'application/x-debian-package', file: FILE, secs: 6.4 })).toBe(
      `--2015-03-12 14:02:11--  ${URL}\n` +
        'Resolving kernel.ubuntu.com (kernel.ubuntu.com)... 91.189.94.216\n' +
        'Connecting to kernel.ubuntu.com (kernel.ubuntu.com)|91.189.94.216|:80... connected.\n' +
        'HTTP request sent, awaiting response... 200 OK\n' +
        'Length: 49597645 (47M) [application/x-debian-package]\n' +
        `Saving to: \u2018${FILE}\u2019\n` +
        '\n' +
        '100%[======================================>] 49,597,645  7.39MB/s   in 6.4s   \n' +
        '\n' +
        `2015-03-12 14:02:17 (7.39 MB/s) - \u2018${FILE}\u2019 saved [49597645/49597645]\n` +
        '\n',
    );
  });

  it('reuses the open connection for the next URL on the same host', () => {
    const out = formatRetrieval({ kind: 'http-error', url: 'http://kernel.ubuntu.com/nothing.deb', at: AT, host: HOST, status: 404, reason: 'Not Found' }, true);
    expect(out).toBe(
      '--2015-03-12 14:02:11--  http://kernel.ubuntu.com/nothing.deb\n' +
        'Reusing existing connection to kernel.ubuntu.com:80.\n' +
        'HTTP request sent, awaiting response... 404 Not Found\n' +
        '2015-03-12 14:02:11 ERROR 404: Not Found.\n' +
        '\n',
    );
  });

  it('fails on a name it cannot resolve, in getaddrinfo\'s words', () => {
    expect(formatRetrieval({ kind: 'unresolved', url: 'http://www.nlnetlabs.nl/downloads/nsd/nsd-4.1.1.tar.gz', at: AT, host: 'www.nlnetlabs.nl' })).toBe(
      '--2015-03-12 14:02:11--  http://www.nlnetlabs.nl/downloads/nsd/nsd-4.1.1.tar.gz\n' +
        'Resolving www.nlnetlabs.nl (www.nlnetlabs.nl)... failed: Name or service not known.\n' +
        'wget: unable to resolve host address \u2018www.nlnetlabs.nl\u2019\n',
    );
  });

  it('says why it could not open the file, after the headers', () => {
    expect(formatRetrieval({ kind: 'open-failed', url: URL, at: AT, host: HOST, bytes: 702_758, contentType: 'application/x-debian-package', file: 'x.deb', error: 'Permission denied' })).toBe(
      `--2015-03-12 14:02:11--  ${URL}\n` +
        'Resolving kernel.ubuntu.com (kernel.ubuntu.com)... 91.189.94.216\n' +
        'Connecting to kernel.ubuntu.com (kernel.ubuntu.com)|91.189.94.216|:80... connected.\n' +
        'HTTP request sent, awaiting response... 200 OK\n' +
        'Length: 702758 (686K) [application/x-debian-package]\n' +
        'x.deb: Permission denied\n',
    );
  });

  it('prints nothing at all under -q, and a bad URL in url_error\'s words', () => {
    expect(formatRetrieval({ kind: 'unresolved', url: 'http://x/', at: AT, host: 'x' }, false, true)).toBe('');
    expect(formatRetrieval({ kind: 'bad-url', url: 'gopher://x/', error: 'Unsupported scheme \u2018gopher\u2019' })).toBe('gopher://x/: Unsupported scheme \u2018gopher\u2019.\n');
  });

  it('sums up several URLs', () => {
    expect(formatFinished(AT, 9.4, 3, 59_873_523, 9.2)).toBe(
      'FINISHED --2015-03-12 14:02:11--\nTotal wall clock time: 9.4s\nDownloaded: 3 files, 57M in 9.2s (6.21 MB/s)\n',
    );
  });
});
