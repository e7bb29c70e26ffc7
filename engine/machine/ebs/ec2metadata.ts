/**
 * `ec2metadata`, cloud-utils 0.27 (trusty's cloud-guest-utils: canonical/cloud-utils@0.27
 * bin/ec2metadata): each option prints one value of the instance metadata service, in the order
 * given; without options every field prints as `name: value`. A field the service has no value
 * for prints `unavailable` — always so for `reserveration-id`, which the script misspells in its
 * list (the service answers 404). Options are parsed by Python's getopt.gnu_getopt, errors end
 * with the script's usage on stderr and exit 1.
 *
 * The values come from the world: instance-id and availability-zone from the cloud part, the
 * local address and name from the host; a scenario may give the rest in `cloud.metadata`. A field
 * nobody gave is not invented: the command says it is not simulated.
 */
import type { MachineWorld } from '../world';

const INSTDATA_URL = 'http://169.254.169.254/2009-04-04';

export const METAOPTS = [
  'ami-id', 'ami-launch-index', 'ami-manifest-path', 'ancestor-ami-ids', 'availability-zone', 'block-device-mapping', 'instance-action', 'instance-id',
  'instance-type', 'local-hostname', 'local-ipv4', 'kernel-id', 'mac', 'profile', 'product-codes', 'public-hostname', 'public-ipv4', 'public-keys',
  'ramdisk-id', 'reserveration-id', 'security-groups', 'user-data',
];

const DOC = `
Query and display EC2 metadata.

If no options are provided, all options will be displayed

Options:
    -h --help               show this help

    --kernel-id             display the kernel id
    --ramdisk-id            display the ramdisk id
    --reservation-id        display the reservation id

    --ami-id                display the ami id
    --ami-launch-index      display the ami launch index
    --ami-manifest-path     display the ami manifest path
    --ancestor-ami-ids      display the ami ancestor id
    --product-codes         display the ami associated product codes
    --availability-zone     display the ami placement zone

    --instance-id           display the instance id
    --instance-type         display the instance type

    --local-hostname        display the local hostname
    --public-hostname       display the public hostname

    --local-ipv4            display the local ipv4 ip address
    --public-ipv4           display the public ipv4 ip address

    --block-device-mapping  display the block device id
    --security-groups       display the security groups

    --mac                   display the instance mac address
    --profile               display the instance profile
    --instance-action       display the instance-action

    --public-keys           display the openssh public keys
    --user-data             display the user data (not actually metadata)

    -u | --url URL          use URL (default: ${INSTDATA_URL})

`;

const PROG = '/usr/bin/ec2metadata';

function usage(error?: string): { stdout: string; stderr: string; code: number } {
  return { stdout: '', stderr: `${error ? `Error: ${error}\n` : ''}Syntax: ${PROG} [options]\n${DOC}\n`, code: 1 };
}

/** the service's value of a field: a string, a list (public-keys), null for a 404, undefined when this world does not know it */
function valueOf(w: MachineWorld, opt: string): string | string[] | null | undefined {
  const cloud = w.cloud!;
  switch (opt) {
    case 'instance-id':
      return cloud.instanceId;
    case 'availability-zone':
      return cloud.az;
    case 'local-ipv4':
      return w.p.ip;
    case 'local-hostname':
      return `ip-${w.p.ip.replace(/\./g, '-')}.${cloud.region === 'us-east-1' ? 'ec2.internal' : `${cloud.region}.compute.internal`}`;
    case 'reserveration-id':
      return null;
  }
  const given = cloud.metadata?.[opt];
  return given === undefined ? undefined : given;
}

/** Python 2's print of a value: a list prints as its repr */
const printed = (v: string | string[]): string => (Array.isArray(v) ? `[${v.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]` : v);

export function runEc2metadata(argv: readonly string[], w: MachineWorld): { stdout: string; stderr: string; code: number } {
  const longs = [...METAOPTS, 'help', 'url='];
  const wanted: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), null];
      // getopt's long_has_args: an exact name, else a unique prefix
      const exact = longs.find((l) => l.replace(/=$/, '') === name);
      const hits = exact ? [exact] : longs.filter((l) => l.startsWith(name));
      if (!hits.length) return usage(`option --${name} not recognized`);
      if (hits.length > 1) return usage(`option --${name} not a unique prefix`);
      const opt = hits[0]!;
      if (opt === 'url=') {
        if (value === null && i + 1 >= argv.length) return usage(`option --${name} requires argument`);
        return { stdout: '', stderr: 'ec2metadata: --url (another metadata service) is not simulated on this box\n', code: 1 };
      }
      if (value !== null) return usage(`option --${name} must not have an argument`);
      if (opt === 'help') return usage();
      wanted.push(opt);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'h') return usage();
        if (c === 'u') {
          if (j === a.length - 1 && i + 1 >= argv.length) return usage('option -u requires argument');
          return { stdout: '', stderr: 'ec2metadata: --url (another metadata service) is not simulated on this box\n', code: 1 };
        }
        return usage(`option -${c} not recognized`);
      }
    }
    // gnu_getopt leaves other words aside, and the script ignores them
  }
  const prefix = wanted.length === 0;
  const fields = prefix ? METAOPTS : wanted;
  const lines: string[] = [];
  for (const f of fields) {
    const v = valueOf(w, f);
    if (v === undefined) return { stdout: '', stderr: `ec2metadata: this instance's ${f} is not simulated on this box${prefix ? '; ask for a field, e.g. --instance-id or --availability-zone' : ''}\n`, code: 1 };
    const shown = v === null || v === '' || (Array.isArray(v) && !v.length) ? 'unavailable' : printed(v);
    lines.push(prefix ? `${f}: ${shown}` : shown);
  }
  return { stdout: lines.join('\n') + '\n', stderr: '', code: 0 };
}
