import { optionsLine, parseMongodArgs } from '../../../../engine/machine/mongo/conf';
import { mongodLogLine, optimeLong } from '../../../../engine/machine/mongo/log';

const CONF = `# mongod.conf

# Where to store the data.
dbpath=/data/db

#where to log
logpath=/var/log/mongodb/mongod.log

logappend=true

#port = 27017

# Listen to local interface only. Comment out to listen on all interfaces.
bind_ip = 127.0.0.1

smallfiles = true
replSet = rs0
`;

describe('mongod options', () => {
  test('the INI config of the mongodb-org package', () => {
    const r = parseMongodArgs(['--config', '/etc/mongod.conf'], (p) => (p === '/etc/mongod.conf' ? CONF : null));
    if (!r.ok) throw new Error(r.message);
    expect(r.opts).toMatchObject({ dbpath: '/data/db', logpath: '/var/log/mongodb/mongod.log', logappend: true, port: 27017, bindIp: '127.0.0.1', smallfiles: true, replSet: 'rs0', journal: true, syncdelay: 60 });
    expect(optionsLine(r.opts)).toBe(
      '{ config: "/etc/mongod.conf", net: { bindIp: "127.0.0.1" }, replication: { replSet: "rs0" }, storage: { dbPath: "/data/db", smallFiles: true }, systemLog: { destination: "file", logAppend: true, path: "/var/log/mongodb/mongod.log" } }',
    );
  });

  test('the command line of a scratch mongod', () => {
    const r = parseMongodArgs(['--dbpath', '/mnt/restore/db', '--port', '27018', '--nojournal', '--fork', '--logpath=/tmp/m.log'], () => null);
    if (!r.ok) throw new Error(r.message);
    expect(r.opts).toMatchObject({ dbpath: '/mnt/restore/db', port: 27018, journal: false, fork: true, logpath: '/tmp/m.log' });
    expect(optionsLine(r.opts)).toBe('{ net: { port: 27018 }, processManagement: { fork: true }, storage: { dbPath: "/mnt/restore/db", journal: { enabled: false } }, systemLog: { destination: "file", path: "/tmp/m.log" } }');
  });

  test('bad options exit 2 with boost::program_options words', () => {
    expect(parseMongodArgs(['--bogus'], () => null)).toEqual({ ok: false, code: 2, message: 'Error parsing command line: unknown option bogus' });
    expect(parseMongodArgs(['--port'], () => null)).toEqual({ ok: false, code: 2, message: "Error parsing command line: the required argument for option '--port' is missing" });
    expect(parseMongodArgs(['--port', 'x'], () => null)).toEqual({ ok: false, code: 2, message: "Error parsing command line: the argument ('x') for option 'port' is invalid" });
    expect(parseMongodArgs(['--port', '99999'], () => null)).toEqual({ ok: false, code: 2, message: 'bad --port number' });
  });
});

describe('2.6 log lines', () => {
  test('iso8601-local stamp with milliseconds and +0000, the thread in brackets', () => {
    expect(mongodLogLine(Date.UTC(2015, 4, 12, 3, 0, 1, 234), 'conn42', 'end connection 127.0.0.1:51234 (1 connection now open)')).toBe(
      '2015-05-12T03:00:01.234+0000 [conn42] end connection 127.0.0.1:51234 (1 connection now open)\n',
    );
  });

  test('an optime as the RS102 lines print it (OpTime::toStringLong)', () => {
    expect(optimeLong(Date.UTC(2015, 4, 12, 3, 12, 0) / 1000, 26)).toBe('May 12 03:12:00 55516f80:1a');
  });
});
