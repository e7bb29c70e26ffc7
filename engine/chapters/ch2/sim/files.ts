/**
 * The web box's own files on top of the base system's: the publisher (the team's Ruby app, its
 * config, its README and its upstart job), nsqd (the upstream binary in /usr/local/bin, its job,
 * its data path), and the two system accounts they run as.
 */
import { baseFiles, file } from '../../../machine/files';
import type { FileStore } from '../../../vfs/store';
import { NSQD } from './catalogue';
import type { Ch2Params } from './params';

export const CONFIG_PATH = '/etc/publisher/publisher.yml';
export const APP_LOG = '/var/log/publisher/publisher.log';
export const UPSTART_LOG_DIR = '/var/log/upstart';
export const NSQD_DATA = '/var/lib/nsq';

/** the metadata file nsqd 0.3.6 keeps in its data path (nsqd/nsqd.go: "nsqd.%d.dat" of its worker id) */
export function nsqdMetadataPath(p: Ch2Params): string {
  return `${NSQD_DATA}/nsqd.${p.nsqdId}.dat`;
}

/** json.Marshal of nsqd's metadata map: Go sorts a map's keys */
export function nsqdMetadata(topics: readonly string[]): string {
  const list = topics.map((name) => `{"channels":[],"name":${JSON.stringify(name)},"paused":false}`).join(',');
  return `{"topics":[${list}],"version":"${NSQD.version}"}`;
}

export const SHIPPED_CONFIG = `# publisher settings (see /srv/publisher/README for every option)
nsqd_url: http://127.0.0.1:4151
topic: events
pool_size: 1
`;

export const README = `publisher
=========

Takes the events the site's web workers drop into /var/spool/publisher/incoming
(one JSON file per event) and hands each one to the nsqd on this box, over
nsqd's HTTP API (POST /pub?topic=TOPIC), oldest first, removing the file once
nsqd has it. Every publish is logged with the time it took in
/var/log/publisher/publisher.log.

Running it
----------

It is an upstart job: sudo service publisher start|stop|restart|status.
upstart restarts it when it dies. Anything it prints before its log is open
(a config it cannot read, a crash at start) lands in
/var/log/upstart/publisher.log.

Configuration
-------------

/etc/publisher/publisher.yml, read once when the app starts: after an edit,
restart it.

  nsqd_url      where nsqd's HTTP API listens.
                default: http://127.0.0.1:4151
  topic         the NSQ topic events go to. default: events
  pool_size     how many connections to nsqd the app keeps open and reuses
                (HTTP keep-alive), taking turns. default: 1
  tcp_nodelay   true: set TCP_NODELAY on every pooled connection, so each
                write() leaves at once instead of waiting for earlier data to
                be acknowledged. default: false
  single_write  true: send each request's headers and body together in one
                write() instead of Net::HTTP's two. default: false

Code
----

  bin/publisher                  reads the config, starts the app
  lib/publisher/config.rb        the options above
  lib/publisher/app.rb           the loop: take an event, publish it, log it
  lib/publisher/nsq_client.rb    the connection pool and the POST itself

Ruby 1.9.3 from trusty (ruby1.9.1), nothing but the standard library.
`;

export const BIN_PUBLISHER = `#!/usr/bin/env ruby
# publisher: hands the site's events to nsqd. See ../README.
$LOAD_PATH.unshift File.expand_path('../../lib', __FILE__)

require 'optparse'
require 'publisher'

config_path = '/etc/publisher/publisher.yml'
OptionParser.new do |opts|
  opts.banner = 'usage: publisher [-c CONFIG]'
  opts.on('-c', '--config PATH', 'the settings file') { |path| config_path = path }
end.parse!

config = Publisher::Config.load(config_path)
Publisher::App.new(config).run
`;

export const LIB_PUBLISHER = `require 'logger'
require 'publisher/config'
require 'publisher/nsq_client'
require 'publisher/app'
`;

export const LIB_CONFIG = `require 'yaml'

module Publisher
  # The settings in publisher.yml. Read once, when the app starts.
  class Config
    DEFAULTS = {
      'nsqd_url'     => 'http://127.0.0.1:4151',
      'topic'        => 'events',
      'pool_size'    => 1,
      'tcp_nodelay'  => false,
      'single_write' => false,
    }

    attr_reader :nsqd_url, :topic, :pool_size, :tcp_nodelay, :single_write

    def self.load(path)
      new(DEFAULTS.merge(YAML.load_file(path) || {}))
    end

    def initialize(settings)
      @nsqd_url     = settings['nsqd_url'].to_s
      @topic        = settings['topic'].to_s
      @pool_size    = Integer(settings['pool_size'])
      @tcp_nodelay  = settings['tcp_nodelay'] == true
      @single_write = settings['single_write'] == true
      raise ArgumentError, "pool_size must be at least 1 (got #{@pool_size})" if @pool_size < 1
    end
  end
end
`;

export const LIB_APP = `module Publisher
  # The loop: take the oldest event from the spool, publish it, and once a minute log how many
  # went out and how long they took (each publish on its own is a DEBUG line, below the log level).
  class App
    LOG = '/var/log/publisher/publisher.log'
    SPOOL = '/var/spool/publisher/incoming'

    def initialize(config)
      @config = config
      @log = Logger.new(LOG)
      @log.level = Logger::INFO
      @client = NsqClient.new(config)
      @window = []
      @window_started = Time.now
    end

    def run
      @log.info("starting: nsqd_url=#{@config.nsqd_url} topic=#{@config.topic} " \\
                "pool_size=#{@config.pool_size} tcp_nodelay=#{@config.tcp_nodelay} " \\
                "single_write=#{@config.single_write}")
      trap('TERM') { @log.info('stopping'); exit }
      loop do
        Dir[File.join(SPOOL, '*.json')].sort.each do |path|
          event = File.read(path)
          started = Time.now
          @client.publish(event)
          ms = (Time.now - started) * 1000
          @log.debug(format('published topic=%s bytes=%d in %.2fms', @config.topic, event.bytesize, ms))
          File.delete(path)
          @window << ms
          report if Time.now - @window_started >= 60
        end
        sleep 0.01
      end
    end

    private

    def report
      sorted = @window.sort
      @log.info(format('published %d events to %s in the last 60s: median %.2fms, p99 %.2fms, max %.2fms',
                       sorted.size, @config.topic, sorted[(sorted.size - 1) / 2],
                       sorted[(sorted.size * 0.99).ceil - 1], sorted.last))
      @window.clear
      @window_started = Time.now
    end
  end
end
`;

export const LIB_NSQ_CLIENT = `require 'net/http'
require 'socket'
require 'uri'

module Publisher
  # nsqd's HTTP API over a pool of kept-alive connections, used in turn.
  class NsqClient
    def initialize(config)
      @uri = URI.parse(config.nsqd_url)
      @path = "/pub?topic=#{config.topic}"
      @tcp_nodelay = config.tcp_nodelay
      @single_write = config.single_write
      @pool = Array.new(config.pool_size) { connect }
      @turn = 0
    end

    # One POST on the next connection of the pool; nsqd answers "OK".
    def publish(body)
      http = @pool[@turn]
      @turn = (@turn + 1) % @pool.size
      req = (@single_write ? OneWritePost : Net::HTTP::Post).new(@path)
      req['Content-Type'] = 'application/json'
      req.body = body
      res = http.request(req)
      raise "nsqd answered #{res.code}: #{res.body}" unless res.code == '200'
    end

    private

    def connect
      http = Net::HTTP.new(@uri.host, @uri.port)
      http.start
      if @tcp_nodelay
        http.instance_variable_get(:@socket).io.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_NODELAY, 1)
      end
      http
    end
  end

  # A POST whose headers and body leave in a single write().
  class OneWritePost < Net::HTTP::Post
    private

    def send_request_with_body(sock, ver, path, body)
      self.content_length = body.bytesize
      delete 'Transfer-Encoding'
      supply_default_content_type
      buf = "#{@method} #{path} HTTP/#{ver}\\r\\n"
      each_capitalized { |k, v| buf << "#{k}: #{v}\\r\\n" }
      buf << "\\r\\n" << body
      sock.write(buf)
    end
  end
end
`;

/** upstart 1.12 job files: console log is upstart's default, so what they print goes to /var/log/upstart/JOB.log */
export const PUBLISHER_JOB = `# publisher - hands the site's events to nsqd

description "publisher: site events to nsqd"

start on runlevel [2345]
stop on runlevel [!2345]

respawn
setuid publisher
setgid publisher
chdir /srv/publisher

exec ruby /srv/publisher/bin/publisher -c /etc/publisher/publisher.yml
`;

export const NSQD_JOB = `# nsqd - NSQ's message daemon, for this box's own publishers (loopback only)

description "nsqd"

start on runlevel [2345]
stop on runlevel [!2345]

respawn
setuid nsq
setgid nsq

exec /usr/local/bin/nsqd --http-address=127.0.0.1:4151 --tcp-address=127.0.0.1:4150 --data-path=/var/lib/nsq
`;

/** 1-based line of the first line of `text` containing `needle` (Ruby's backtraces point there) */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new RangeError(`no line with ${needle}`);
  return i + 1;
}

/**
 * The box's files. `installedAt` is when the app and nsqd were deployed (the base system is
 * older); nsqd's binaries keep the mtime the release tarball gave them.
 */
export function seedFiles(p: Ch2Params, installedAt: number, systemAt: number): FileStore {
  const store = baseFiles(p, systemAt, [
    { name: 'publisher', uid: p.publisherUid, gid: p.publisherUid + 7, home: '/srv/publisher' },
    { name: 'nsq', uid: p.nsqUid, gid: p.nsqUid + 7, home: NSQD_DATA },
  ]);
  const f = store.files;
  // trusty's point release of August 2015: base-files 7.2ubuntu5.3
  f['/etc/lsb-release'] = file('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_CODENAME=trusty\nDISTRIB_DESCRIPTION="Ubuntu 14.04.3 LTS"\n', systemAt);
  f['/etc/issue'] = file('Ubuntu 14.04.3 LTS \\n \\l\n\n', systemAt);
  f[CONFIG_PATH] = file(SHIPPED_CONFIG, installedAt, 0o640, 'root', 'publisher');
  f['/srv/publisher/README'] = file(README, installedAt, 0o644, 'publisher');
  f['/srv/publisher/bin/publisher'] = file(BIN_PUBLISHER, installedAt, 0o755, 'publisher');
  f['/srv/publisher/lib/publisher.rb'] = file(LIB_PUBLISHER, installedAt, 0o644, 'publisher');
  f['/srv/publisher/lib/publisher/config.rb'] = file(LIB_CONFIG, installedAt, 0o644, 'publisher');
  f['/srv/publisher/lib/publisher/app.rb'] = file(LIB_APP, installedAt, 0o644, 'publisher');
  f['/srv/publisher/lib/publisher/nsq_client.rb'] = file(LIB_NSQ_CLIENT, installedAt, 0o644, 'publisher');
  f['/etc/init/publisher.conf'] = file(PUBLISHER_JOB, installedAt);
  f['/etc/init/nsqd.conf'] = file(NSQD_JOB, installedAt);
  f[APP_LOG] = file('', installedAt, 0o644, 'publisher');
  for (const [bin, bytes] of NSQD.binaries) f[`/usr/local/bin/${bin}`] = { ...file('', NSQD.released, 0o755), bytes };
  f[nsqdMetadataPath(p)] = file(nsqdMetadata(['events']), installedAt, 0o600, 'nsq');
  store.dirs['/var/log/publisher'] = { mode: 0o755, owner: 'publisher', group: 'publisher' };
  store.dirs['/var/spool/publisher'] = { mode: 0o755, owner: 'publisher', group: 'publisher' };
  // a drop box: the site's workers may add files but not list what is waiting
  store.dirs['/var/spool/publisher/incoming'] = { mode: 0o1733, owner: 'publisher', group: 'publisher' };
  store.dirs[NSQD_DATA] = { mode: 0o755, owner: 'nsq', group: 'nsq' };
  store.dirs[UPSTART_LOG_DIR] = { mode: 0o755, owner: 'root', group: 'root' };
  return store;
}
