import { game, say, stackOf } from './tcpBox';

/** curl 7.35.0 against the test box's daemon (test/fixtures/tcp-chapter). */
describe('curl', () => {
  it('-v: the whole conversation in curl 7.35.0\'s words, the body on stdout', () => {
    const g = game();
    expect(say(g, "curl -v -d hello 'http://127.0.0.1:4151/pub?topic=events'")).toBe(
      [
        '* Hostname was NOT found in DNS cache',
        '*   Trying 127.0.0.1...',
        '* Connected to 127.0.0.1 (127.0.0.1) port 4151 (#0)',
        '> POST /pub?topic=events HTTP/1.1',
        '> User-Agent: curl/7.35.0',
        '> Host: 127.0.0.1:4151',
        '> Accept: */*',
        '> Content-Length: 5',
        '> Content-Type: application/x-www-form-urlencoded',
        '> ',
        '* upload completely sent off: 5 out of 5 bytes',
        '< HTTP/1.1 200 OK',
        '< Content-Type: text/plain; charset=utf-8',
        '< Content-Length: 2',
        '< ',
        'OK',
        '* Connection #0 to host 127.0.0.1 left intact',
      ].join('\n'),
    );
  });

  it('sends the request in one segment, so it is fast; -w prints the virtual clock\'s time', () => {
    const g = game();
    const before = stackOf(g).logCount;
    expect(say(g, "curl -s -w '%{http_code} %{time_total}\\n' -d hello http://localhost:4151/pub")).toBe('OK200 0.000');
    const mine = stackOf(g).log.filter((p) => p.n > before && p.data.startsWith('POST /pub HTTP/1.1'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.data.endsWith('\r\n\r\nhello')).toBe(true);
  });

  it('-i prints the headers; -o writes the body; refused and bad input in curl\'s words', () => {
    const g = game();
    expect(say(g, 'curl -s -i http://127.0.0.1:4151/ping')).toBe('HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\nContent-Length: 2\n\nOK');
    expect(say(g, 'curl -s -o /tmp/body http://127.0.0.1:4151/ping; cat /tmp/body')).toBe('OK');
    expect(say(g, 'curl http://127.0.0.1:4152/; echo $?')).toBe('curl: (7) Failed to connect to 127.0.0.1 port 4152: Connection refused\n7');
    expect(say(g, 'curl -s http://127.0.0.1:4152/; echo $?')).toBe('7');
    expect(say(g, 'curl -sS http://127.0.0.1:4152/')).toBe('curl: (7) Failed to connect to 127.0.0.1 port 4152: Connection refused');
    expect(say(g, 'curl')).toBe("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information");
    expect(say(g, 'curl --bogus http://127.0.0.1:4151/')).toBe("curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information");
    expect(say(g, 'curl ftp://127.0.0.1/')).toBe('curl: (1) Protocol ftp not supported or disabled in libcurl');
  });
});
