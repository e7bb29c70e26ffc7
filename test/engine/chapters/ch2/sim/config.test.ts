import { connectRefused, fileObjectId, readConfig } from '../../../../../engine/chapters/ch2/sim/config';
import { file } from '../../../../../engine/machine/files';

/** the config as root:publisher 0640, read by the app's account */
const read = (text: string, pid = 4242) => readConfig(file(text, 0, 0o640, 'root', 'publisher'), pid, 'publisher', ['publisher']);
const BASE = 'nsqd_url: http://127.0.0.1:4151\ntopic: events\npool_size: 1\n';
const TAIL = "\tfrom /srv/publisher/lib/publisher/config.rb:17:in `load'\n\tfrom /srv/publisher/bin/publisher:14:in `<main>'\n";

describe("the publisher's settings, as its config.rb reads them on ruby 1.9.3", () => {
  it('turns an option on only for a YAML true', () => {
    const on = (line: string) => {
      const r = read(`${BASE}${line}\n`);
      if (!r.ok) throw new Error(r.stderr);
      return r.config.tcpNodelay;
    };
    expect(on('tcp_nodelay: true')).toBe(true);
    expect(on('tcp_nodelay: yes')).toBe(true);
    expect(on('tcp_nodelay: On')).toBe(true);
    expect(on('tcp_nodelay: false')).toBe(false);
    expect(on('tcp_nodelay: "true"')).toBe(false);
    expect(on('tcp_nodelay: 1')).toBe(false);
    expect(on('# tcp_nodelay: true')).toBe(false);
    const r = read(`${BASE}single_write: true\npool_size: "4"\ntopic: clicks\n`);
    expect(r).toEqual({ ok: true, config: { nsqdUrl: 'http://127.0.0.1:4151', topic: 'clicks', poolSize: 4, tcpNodelay: false, singleWrite: true } });
    expect(read('')).toEqual({ ok: true, config: { nsqdUrl: 'http://127.0.0.1:4151', topic: 'events', poolSize: 1, tcpNodelay: false, singleWrite: false } });
  });

  it('dies with Psych::SyntaxError and its backtrace when the YAML does not parse', () => {
    const r = read(`${BASE}tcp_nodelay true\n`, 4242);
    expect(fileObjectId(4242)).toMatch(/^0x[0-9a-f]{14}$/);
    expect(r).toEqual({
      ok: false,
      stderr:
        `/usr/lib/ruby/1.9.1/psych.rb:203:in \`parse': (#<File:${fileObjectId(4242)}>): could not find expected ':' while scanning a simple key at line 4 column 1 (Psych::SyntaxError)\n` +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:203:in `parse_stream'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:151:in `parse'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:127:in `load'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `block in load_file'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `open'\n" +
        "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `load_file'\n" +
        TAIL,
    });
  });

  it('dies in Hash#merge when the document is not a mapping', () => {
    expect(read('just words\n')).toEqual({ ok: false, stderr: "/srv/publisher/lib/publisher/config.rb:17:in `merge': can't convert String into Hash (TypeError)\n" + TAIL });
    expect(read('- a\n- b\n')).toEqual({ ok: false, stderr: "/srv/publisher/lib/publisher/config.rb:17:in `merge': can't convert Array into Hash (TypeError)\n" + TAIL });
  });

  it("dies in Integer() when pool_size is not a number, and in its own check when it is below 1", () => {
    const inInit = "\tfrom /srv/publisher/lib/publisher/config.rb:23:in `initialize'\n\tfrom /srv/publisher/lib/publisher/config.rb:17:in `new'\n" + TAIL;
    expect(read('pool_size: two\n')).toEqual({ ok: false, stderr: `/srv/publisher/lib/publisher/config.rb:23:in \`Integer': invalid value for Integer(): "two" (ArgumentError)\n${inInit}` });
    expect(read('pool_size:\n')).toEqual({ ok: false, stderr: `/srv/publisher/lib/publisher/config.rb:23:in \`Integer': can't convert nil into Integer (TypeError)\n${inInit}` });
    expect(read('pool_size: 0\n')).toEqual({
      ok: false,
      stderr: "/srv/publisher/lib/publisher/config.rb:26:in `initialize': pool_size must be at least 1 (got 0) (ArgumentError)\n\tfrom /srv/publisher/lib/publisher/config.rb:17:in `new'\n" + TAIL,
    });
  });

  it('cannot open a file that is gone or that its account may not read', () => {
    const open = "\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `open'\n\tfrom /usr/lib/ruby/1.9.1/psych.rb:297:in `load_file'\n" + TAIL;
    expect(readConfig(undefined, 1, 'publisher', ['publisher'])).toEqual({
      ok: false,
      stderr: "/usr/lib/ruby/1.9.1/psych.rb:297:in `initialize': No such file or directory - /etc/publisher/publisher.yml (Errno::ENOENT)\n" + open,
    });
    expect(readConfig(file(BASE, 0, 0o600, 'root', 'root'), 1, 'publisher', ['publisher'])).toEqual({
      ok: false,
      stderr: "/usr/lib/ruby/1.9.1/psych.rb:297:in `initialize': Permission denied - /etc/publisher/publisher.yml (Errno::EACCES)\n" + open,
    });
  });

  it('reports a refused connect(2) the way 1.9.3 Net::HTTP#start lets it through', () => {
    const lines = connectRefused().split('\n');
    expect(lines[0]).toBe("/usr/lib/ruby/1.9.1/net/http.rb:763:in `initialize': Connection refused - connect(2) (Errno::ECONNREFUSED)");
    expect(lines).toContain("\tfrom /srv/publisher/lib/publisher/nsq_client.rb:32:in `connect'");
    expect(lines[lines.length - 2]).toBe("\tfrom /srv/publisher/bin/publisher:15:in `<main>'");
  });
});
