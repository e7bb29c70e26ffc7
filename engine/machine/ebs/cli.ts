/**
 * `aws` as aws-cli 1.7.26 (pip, May 2015; botocore 0.107.0, Python 2.7.6) runs it on the box:
 * the EBS operations of `aws ec2` against the world's cloud (cloud.ts), its three argument parsers
 * (argparse.ts), the responses as botocore parses them (keys in Python 2.7's dict order) and
 * awscli's formatters (output.ts), and its errors as it printed them:
 * - argparse errors: the usage line and `aws: error: ...`, exit 2;
 * - anything else that stops the command (unknown options, EC2's errors, a waiter that gives up,
 *   bad parameter values): a blank line and the message on stderr, exit 255; EC2's errors in the
 *   words of awscli/errorhandler.py: `A client error (Code) occurred when calling the Op
 *   operation: message`.
 * Credentials come from the instance's IAM role, as on the box; the region from --region,
 * AWS_DEFAULT_REGION or ~/.aws/config.
 */
import type { Rng } from '../../rng';
import type { MachineWorld } from '../world';
import { argparseError, parseKnownArgs, type OptSpec } from './argparse';
import {
  attachVolume,
  createSnapshot,
  createVolume,
  deleteSnapshot,
  deleteVolume,
  detachVolume,
  gp2Iops,
  settleCloud,
  snapshotProgress,
  snapshotsById,
  volumesById,
  type Ec2Error,
  type Ec2Result,
} from './cloud';
import { EC2_OPERATIONS } from './ec2Operations';
import { compileQuery, QueryError, QueryUnsupported, type CompiledQuery } from './jmespath';
import { formatJson, formatTable, formatText, type PyValue } from './output';
import { pyDict } from './py2dict';
import type { CloudState, EbsAttachment, EbsSnapshot, EbsVolume } from './types';

export const AWS_CLI_VERSION = '1.7.26';
export const PYTHON_VERSION = '2.7.6';

/** the regions EC2 had in May 2015 (a name outside them has no endpoint) */
export const REGIONS_2015 = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];

const WAITERS = [
  'bundle-task-complete', 'conversion-task-cancelled', 'conversion-task-completed', 'conversion-task-deleted', 'customer-gateway-available',
  'export-task-cancelled', 'export-task-completed', 'image-available', 'instance-running', 'instance-status-ok', 'instance-stopped',
  'instance-terminated', 'password-data-available', 'snapshot-completed', 'spot-instance-request-fulfilled', 'subnet-available',
  'system-status-ok', 'volume-available', 'volume-deleted', 'volume-in-use', 'vpc-available', 'vpn-connection-available', 'vpn-connection-deleted',
];

/** what the command needs from the machine */
export interface AwsEnv {
  world: MachineWorld;
  rng: Rng;
  /** let virtual time pass while the command works (it may stop short at the line's limit) */
  advance(ms: number): void;
  interrupted(): boolean;
  /** virtual ms this line may still let pass */
  timeLeft(): number;
  /** a file's text, or null */
  readFile(path: string): string | null;
  vars: Record<string, string>;
  /** uname -r, for the user agent --version prints */
  release: string;
}

export interface AwsResult {
  stdout: string;
  stderr: string;
  code: number;
}

const usageFail = (message: string): AwsResult => ({ stdout: '', stderr: argparseError(message), code: 2 });
const fatal = (message: string): AwsResult => ({ stdout: '', stderr: `\n${message}\n`, code: 255 });
const clientError = (op: string, e: Ec2Error): AwsResult => fatal(`A client error (${e.code}) occurred when calling the ${op} operation: ${e.message}`);

/** the python process starting and reading its models, before it sends anything */
export const STARTUP_MS = 450;
/** one HTTPS request to the EC2 endpoint and its answer */
export const ROUND_TRIP_MS = 150;

// ---- the global options (awscli/data/cli.json, in its order) ----

const GLOBAL_OPTS: OptSpec[] = [
  { flag: '--debug', kind: 'true', dest: 'debug' },
  { flag: '--endpoint-url', kind: 'value', dest: 'endpoint_url' },
  { flag: '--no-verify-ssl', kind: 'false', dest: 'verify_ssl' },
  { flag: '--no-paginate', kind: 'false', dest: 'paginate' },
  { flag: '--output', kind: 'value', dest: 'output', choices: ['json', 'text', 'table'] },
  { flag: '--query', kind: 'value', dest: 'query' },
  { flag: '--profile', kind: 'value', dest: 'profile' },
  { flag: '--region', kind: 'value', dest: 'region' },
  { flag: '--version', kind: 'true', dest: 'version' },
  { flag: '--color', kind: 'value', dest: 'color', choices: ['on', 'off', 'auto'] },
  { flag: '--no-sign-request', kind: 'false', dest: 'sign_request' },
];

/**
 * `aws`'s commands in the order its parser lists them: botocore 0.107.0's services sorted (its
 * data directories), then the main command table's customizations in the order awscli/handlers.py
 * registers them: s3 renamed s3api and a new s3 (customizations/s3/s3.py), configure, codedeploy
 * renamed deploy, config renamed configservice (each rename moves the name to the end), and help.
 * Only ec2 is simulated.
 */
const SERVICES = [
  'autoscaling', 'cloudformation', 'cloudfront', 'cloudhsm', 'cloudsearch', 'cloudsearchdomain', 'cloudtrail', 'cloudwatch', 'cognito-identity',
  'cognito-sync', 'datapipeline', 'directconnect', 'dynamodb', 'ec2', 'ecs', 'elasticache', 'elasticbeanstalk', 'elastictranscoder', 'elb', 'emr',
  'glacier', 'iam', 'importexport', 'kinesis', 'kms', 'lambda', 'logs', 'machinelearning', 'opsworks', 'rds', 'redshift', 'route53', 'route53domains',
  'sdb', 'ses', 'sns', 'sqs', 'ssm', 'storagegateway', 'sts', 'support', 'swf', 'workspaces', 's3api', 's3', 'configure', 'deploy', 'configservice', 'help',
];

// ---- each operation's arguments (the EC2 2015-03-01 model's input members, in its order) ----

const dryRun: OptSpec[] = [
  { flag: '--dry-run', kind: 'true', dest: 'DryRun' },
  { flag: '--no-dry-run', kind: 'false', dest: 'DryRun' },
];

const OPERATION_ARGS: Record<string, { op: string; args: OptSpec[] }> = {
  'create-snapshot': {
    op: 'CreateSnapshot',
    args: [...dryRun, { flag: '--volume-id', kind: 'value', dest: 'VolumeId', required: true }, { flag: '--description', kind: 'value', dest: 'Description' }],
  },
  'describe-snapshots': {
    op: 'DescribeSnapshots',
    args: [
      ...dryRun,
      { flag: '--snapshot-ids', kind: 'list', dest: 'SnapshotIds' },
      { flag: '--owner-ids', kind: 'list', dest: 'OwnerIds' },
      { flag: '--restorable-by-user-ids', kind: 'list', dest: 'RestorableByUserIds' },
      { flag: '--filters', kind: 'list', dest: 'Filters' },
    ],
  },
  'describe-volumes': {
    op: 'DescribeVolumes',
    args: [...dryRun, { flag: '--volume-ids', kind: 'list', dest: 'VolumeIds' }, { flag: '--filters', kind: 'list', dest: 'Filters' }],
  },
  'create-volume': {
    op: 'CreateVolume',
    args: [
      ...dryRun,
      { flag: '--size', kind: 'value', dest: 'Size' },
      { flag: '--snapshot-id', kind: 'value', dest: 'SnapshotId' },
      { flag: '--availability-zone', kind: 'value', dest: 'AvailabilityZone', required: true },
      { flag: '--volume-type', kind: 'value', dest: 'VolumeType' },
      { flag: '--iops', kind: 'value', dest: 'Iops' },
      { flag: '--encrypted', kind: 'true', dest: 'Encrypted' },
      { flag: '--no-encrypted', kind: 'false', dest: 'Encrypted' },
      { flag: '--kms-key-id', kind: 'value', dest: 'KmsKeyId' },
    ],
  },
  'attach-volume': {
    op: 'AttachVolume',
    args: [
      ...dryRun,
      { flag: '--volume-id', kind: 'value', dest: 'VolumeId', required: true },
      { flag: '--instance-id', kind: 'value', dest: 'InstanceId', required: true },
      { flag: '--device', kind: 'value', dest: 'Device', required: true },
    ],
  },
  'detach-volume': {
    op: 'DetachVolume',
    args: [
      ...dryRun,
      { flag: '--volume-id', kind: 'value', dest: 'VolumeId', required: true },
      { flag: '--instance-id', kind: 'value', dest: 'InstanceId' },
      { flag: '--device', kind: 'value', dest: 'Device' },
      { flag: '--force', kind: 'true', dest: 'Force' },
      { flag: '--no-force', kind: 'false', dest: 'Force' },
    ],
  },
  'delete-snapshot': { op: 'DeleteSnapshot', args: [...dryRun, { flag: '--snapshot-id', kind: 'value', dest: 'SnapshotId', required: true }] },
  'delete-volume': { op: 'DeleteVolume', args: [...dryRun, { flag: '--volume-id', kind: 'value', dest: 'VolumeId', required: true }] },
};

/** the waiters simulated: which describe call they poll and the state every item must reach (botocore 0.107.0 ec2 waiters-2.json) */
const WAITER_SPECS: Record<string, { name: string; describe: 'describe-snapshots' | 'describe-volumes'; success: string; failure?: string }> = {
  'snapshot-completed': { name: 'SnapshotCompleted', describe: 'describe-snapshots', success: 'completed' },
  'volume-available': { name: 'VolumeAvailable', describe: 'describe-volumes', success: 'available', failure: 'deleted' },
  'volume-in-use': { name: 'VolumeInUse', describe: 'describe-volumes', success: 'in-use', failure: 'deleted' },
  'volume-deleted': { name: 'VolumeDeleted', describe: 'describe-volumes', success: 'deleted' },
};
const WAITER_DELAY_MS = 15_000;
const WAITER_MAX_ATTEMPTS = 40;

// ---- responses, as botocore parses them ----

const iso = (t: number): string => new Date(t).toISOString();
/** EC2 reports snapshot start and attach times to the second */
const isoSeconds = (t: number): string => new Date(Math.floor(t / 1000) * 1000).toISOString();
const RM = ['ResponseMetadata'];

function snapshotItem(s: EbsSnapshot, t: number, opts: { progress: boolean; tags: boolean }, top: boolean): PyValue {
  const e: Array<[string, PyValue]> = [
    ['SnapshotId', s.id],
    ['VolumeId', s.volumeId],
    ['State', s.state],
    ['StartTime', isoSeconds(s.startTime)],
  ];
  if (opts.progress) e.push(['Progress', snapshotProgress(s, t)]);
  e.push(['OwnerId', s.ownerId], ['Description', s.description], ['VolumeSize', s.volumeSize]);
  if (opts.tags) e.push(['Tags', []]);
  e.push(['Encrypted', false]);
  return pyDict(e, top ? RM : []);
}

function attachmentItem(a: EbsAttachment, volumeId: string, withDelete: boolean, top: boolean): PyValue {
  const e: Array<[string, PyValue]> = [
    ['VolumeId', volumeId],
    ['InstanceId', a.instanceId],
    ['Device', a.device],
    ['State', a.state],
    ['AttachTime', isoSeconds(a.attachTime)],
  ];
  if (withDelete) e.push(['DeleteOnTermination', a.deleteOnTermination]);
  return pyDict(e, top ? RM : []);
}

function volumeItem(v: EbsVolume, opts: { tags: boolean }, top: boolean): PyValue {
  const e: Array<[string, PyValue]> = [
    ['VolumeId', v.id],
    ['Size', v.sizeGiB],
    ['SnapshotId', v.snapshotId],
    ['AvailabilityZone', v.az],
    ['State', v.state],
    ['CreateTime', iso(v.createTime)],
    ['Attachments', v.attachment ? [attachmentItem(v.attachment, v.id, true, false)] : []],
  ];
  if (opts.tags) e.push(['Tags', []]);
  e.push(['VolumeType', v.type]);
  if (v.type === 'gp2') e.push(['Iops', gp2Iops(v.sizeGiB)]);
  e.push(['Encrypted', false]);
  return pyDict(e, top ? RM : []);
}

// ---- filters (EC2's, with * and ? wildcards) ----

type Filter = { Name: string; Values: string[] };

const wildcard = (pattern: string): RegExp => new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');

const SNAPSHOT_FILTERS: Record<string, (s: EbsSnapshot, t: number) => string[]> = {
  description: (s) => [s.description],
  'owner-id': (s) => [s.ownerId],
  progress: (s, t) => [snapshotProgress(s, t)],
  'snapshot-id': (s) => [s.id],
  'start-time': (s) => [isoSeconds(s.startTime)],
  status: (s) => [s.state],
  'volume-id': (s) => [s.volumeId],
  'volume-size': (s) => [String(s.volumeSize)],
  encrypted: () => ['false'],
};

const VOLUME_FILTERS: Record<string, (v: EbsVolume) => string[]> = {
  'attachment.attach-time': (v) => (v.attachment ? [isoSeconds(v.attachment.attachTime)] : []),
  'attachment.delete-on-termination': (v) => (v.attachment ? [String(v.attachment.deleteOnTermination)] : []),
  'attachment.device': (v) => (v.attachment ? [v.attachment.device] : []),
  'attachment.instance-id': (v) => (v.attachment ? [v.attachment.instanceId] : []),
  'attachment.status': (v) => (v.attachment ? [v.attachment.state] : []),
  'availability-zone': (v) => [v.az],
  'create-time': (v) => [iso(v.createTime)],
  size: (v) => [String(v.sizeGiB)],
  'snapshot-id': (v) => [v.snapshotId],
  status: (v) => [v.state],
  'volume-id': (v) => [v.id],
  'volume-type': (v) => [v.type],
  encrypted: () => ['false'],
};

function applyFilters<T>(items: T[], filters: Filter[], table: Record<string, (x: T) => string[]>): Ec2Result<T[]> {
  for (const f of filters) if (!(f.Name in table) && !/^tag(-key|-value|:.+)$/.test(f.Name)) return { ok: false, error: { code: 'InvalidParameterValue', message: `The filter '${f.Name}' is invalid` } };
  return {
    ok: true,
    value: items.filter((x) =>
      filters.every((f) => {
        // nothing here carries tags, so a tag filter matches nothing
        const have = f.Name in table ? table[f.Name]!(x) : [];
        return f.Values.some((p) => have.some((h) => wildcard(p).test(h)));
      }),
    ),
  };
}

const FILTER_USAGE =
  'should be: Key value pairs, where values are separated by commas, and multiple pairs are separated by spaces.\n--filters Name=string1,Values=string1,string2 Name=string1,Values=string1,string2';

/** awscli's shorthand (Name=x,Values=a,b) or JSON for --filters */
function parseFilters(words: string[]): { ok: true; value: Filter[] } | { ok: false; message: string } {
  const bad = (m: string): { ok: false; message: string } => ({ ok: false, message: `Error parsing parameter '--filters': ${m}` });
  if (words[0]!.trim().startsWith('[') || words[0]!.trim().startsWith('{')) {
    try {
      const parsed = words.length === 1 && words[0]!.trim().startsWith('[') ? JSON.parse(words[0]!) : words.map((w) => JSON.parse(w));
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as unknown[];
      return {
        ok: true,
        value: list.map((f) => {
          const o = f as { Name?: unknown; Values?: unknown };
          return { Name: String(o.Name ?? ''), Values: Array.isArray(o.Values) ? o.Values.map(String) : [] };
        }),
      };
    } catch {
      return bad(`Invalid JSON:\n${words[0]}`);
    }
  }
  const out: Filter[] = [];
  for (const w of words) {
    const f: Filter = { Name: '', Values: [] };
    let key: 'Name' | 'Values' | null = null;
    for (const part of w.split(',')) {
      const eq = part.indexOf('=');
      if (eq >= 0) {
        const k = part.slice(0, eq).trim();
        if (k !== 'Name' && k !== 'Values') return bad(`Unknown key '${k}', valid choices are: Values, Name`);
        key = k;
        if (k === 'Name') f.Name = part.slice(eq + 1).trim();
        else f.Values = [part.slice(eq + 1).trim()];
      } else if (key === 'Values') f.Values.push(part.trim());
      else return bad(FILTER_USAGE);
    }
    out.push(f);
  }
  return { ok: true, value: out };
}

// ---- configuration ----

/** [section] key = value files as botocore reads ~/.aws/config */
function iniValue(text: string | null, section: string, key: string): string | undefined {
  if (!text) return undefined;
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = head[1]!.trim();
    else if (current === section) {
      const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (kv && kv[1] === key) return kv[2];
    }
  }
  return undefined;
}

// ---- the command ----

export function runAws(argv: readonly string[], env: AwsEnv): AwsResult {
  const main = parseKnownArgs(argv, GLOBAL_OPTS, { name: 'command', nargs: '1', choices: SERVICES });
  // --version acts as argparse meets it, before any other check; Python 2.7 prints it on stderr
  const versionAt = argv.findIndex((a) => a === '--version' || (a.startsWith('--v') && '--version'.startsWith(a)));
  if (versionAt >= 0 && (main.ok || !argv.slice(0, versionAt).some((a) => !a.startsWith('-')))) {
    return { stdout: '', stderr: `aws-cli/${AWS_CLI_VERSION} Python/${PYTHON_VERSION} Linux/${env.release}\n`, code: 0 };
  }
  if (!main.ok) return usageFail(main.message);
  const g = main.values;
  // the query compiles with the other global options, before the service is looked at (awscli/customizations/globalargs.py)
  let query: CompiledQuery | null = null;
  if (typeof g.query === 'string') {
    try {
      query = compileQuery(g.query);
    } catch (e) {
      if (e instanceof QueryUnsupported)
        return { stdout: '', stderr: `aws: this --query uses JMESPath ${e.message === 'functions' ? 'functions' : e.message === 'slice' ? 'slices' : 'expression references'}, which are not simulated here (fields, a.b, [0], [*], [], [?x=='v'], [a,b], {k: a}, | are).\n`, code: 255 };
      if (e instanceof QueryError) return fatal(`Bad value for --query ${g.query}: ${e.message}`);
      throw e;
    }
  }
  const service = main.positional!;
  if (service === 'help' || main.extras[0] === 'help') return { stdout: '', stderr: 'aws: the CLI\'s own help pages are not simulated here; `man aws` is the game\'s page for it.\n', code: 0 };
  if (service !== 'ec2') return { stdout: '', stderr: `aws: only the ec2 service's EBS commands are simulated on this box (not ${service}).\n`, code: 255 };
  const svc = parseKnownArgs(main.extras, [], { name: 'operation', nargs: '1', choices: EC2_OPERATIONS });
  if (!svc.ok) return usageFail(svc.message);
  const opName = svc.positional!;
  if (opName === 'help') return { stdout: '', stderr: 'aws: the CLI\'s own help pages are not simulated here; `man aws` is the game\'s page for it.\n', code: 0 };

  let waiter: (typeof WAITER_SPECS)[string] | null = null;
  let rest = svc.extras;
  let cliOp = opName;
  if (opName === 'wait') {
    const sub = parseKnownArgs(rest, [], { name: 'subcommand', nargs: '?', choices: WAITERS });
    if (!sub.ok) return usageFail(sub.message);
    if (sub.positional === null) {
      if (sub.extras.length) return fatal(`Unknown options: ${sub.extras.join(',')}`);
      return fatal('usage: aws [options] <command> <subcommand> [parameters]\naws: error: too few arguments');
    }
    if (!(sub.positional in WAITER_SPECS)) return { stdout: '', stderr: `aws: the ${sub.positional} waiter is not simulated on this box (only snapshot-completed, volume-available, volume-in-use and volume-deleted).\n`, code: 255 };
    waiter = WAITER_SPECS[sub.positional]!;
    cliOp = waiter.describe;
    rest = sub.extras;
  }
  const spec = OPERATION_ARGS[cliOp];
  if (!spec) return { stdout: '', stderr: `aws: ec2 ${opName} is not simulated on this box; its EBS commands are create-snapshot, describe-snapshots, describe-volumes, create-volume, attach-volume, detach-volume, delete-snapshot, delete-volume and wait.\n`, code: 255 };
  const first = rest[0];
  if (first === 'help') return { stdout: '', stderr: 'aws: the CLI\'s own help pages are not simulated here; `man aws` is the game\'s page for it.\n', code: 0 };
  const parsed = parseKnownArgs(rest, spec.args, null);
  if (!parsed.ok) return usageFail(parsed.message);
  if (parsed.extras.length) return fatal(`Unknown options: ${parsed.extras.join(', ')}`);
  const p = parsed.values;
  if (cliOp === 'detach-volume' && p.Force === true) return { stdout: '', stderr: 'aws: detach-volume --force is not simulated on this box: a device the guest still uses stays busy until it lets go.\n', code: 255 };

  const home = env.vars.HOME ?? '/root';
  const config = env.readFile(`${home}/.aws/config`);
  const profile = typeof g.profile === 'string' ? g.profile : env.vars.AWS_DEFAULT_PROFILE ?? 'default';
  const section = profile === 'default' ? 'default' : `profile ${profile}`;
  if (profile !== 'default' && !(config ?? '').split('\n').some((l) => l.trim() === `[${section}]`)) return fatal(`The config profile (${profile}) could not be found`);
  const region = (typeof g.region === 'string' ? g.region : undefined) ?? env.vars.AWS_DEFAULT_REGION ?? iniValue(config, section, 'region');
  const output = (typeof g.output === 'string' ? g.output : undefined) ?? env.vars.AWS_DEFAULT_OUTPUT ?? iniValue(config, section, 'output') ?? 'json';
  if (!['json', 'text', 'table'].includes(output)) return fatal(`Unknown output type: ${output}`);
  if (!region) return { stdout: '', stderr: 'You must specify a region. You can also configure your region by running "aws configure".\n', code: 255 };

  // integers are converted after parsing (awscli/argprocess.py unpack_scalar_cli_arg: int(value))
  for (const k of ['Size', 'Iops'])
    if (typeof p[k] === 'string' && !/^\s*[+-]?\d+\s*$/.test(p[k] as string)) return fatal(`invalid literal for int() with base 10: ${pyReprArg(p[k] as string)}`);
  let filters: Filter[] = [];
  if (Array.isArray(p.Filters)) {
    const f = parseFilters(p.Filters);
    if (!f.ok) return fatal(f.message);
    filters = f.value;
  }

  env.advance(STARTUP_MS);
  if (!REGIONS_2015.includes(region)) {
    env.advance(ROUND_TRIP_MS);
    return fatal(`Could not connect to the endpoint URL: "https://ec2.${region}.amazonaws.com/"`);
  }
  if (p.DryRun === true) {
    env.advance(ROUND_TRIP_MS);
    return clientError(spec.op, { code: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.' });
  }
  const cloud = env.world.cloud!;
  // the account's resources live in its own region; elsewhere it has none
  const here = region === cloud.region;
  const view: CloudState = here ? cloud : { ...cloud, volumes: [], snapshots: [] };
  const ctx = { env, view, here, p, filters };

  if (waiter) return runWaiter(ctx, waiter, output);
  const t = env.world.now;
  const r = callOperation(ctx, cliOp, t);
  env.advance(ROUND_TRIP_MS);
  if (!r.ok) return clientError(spec.op, r.error);
  const shown = query ? query.search(r.value) : r.value;
  const text = output === 'json' ? formatJson(shown) : output === 'text' ? formatText(shown) : formatTable(spec.op, shown);
  return { stdout: text, stderr: '', code: 0 };
}

const pyReprArg = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

interface CallCtx {
  env: AwsEnv;
  view: CloudState;
  here: boolean;
  p: Record<string, string | string[] | boolean>;
  filters: Filter[];
}

const str = (v: string | string[] | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: string | string[] | boolean | undefined): string[] | undefined => (Array.isArray(v) ? v : undefined);

function describeSnapshots(c: CallCtx, t: number): Ec2Result<EbsSnapshot[]> {
  const ids = list(c.p.SnapshotIds);
  let items: EbsSnapshot[];
  if (ids) {
    const r = snapshotsById(c.view, ids);
    if (!r.ok) return r;
    items = r.value;
  } else items = c.view.snapshots;
  const owners = list(c.p.OwnerIds);
  if (owners) items = items.filter((s) => owners.some((o) => o === 'self' || o === s.ownerId));
  const f = applyFilters(items, c.filters, Object.fromEntries(Object.entries(SNAPSHOT_FILTERS).map(([k, fn]) => [k, (s: EbsSnapshot) => fn(s, t)])));
  return f;
}

function describeVolumes(c: CallCtx): Ec2Result<EbsVolume[]> {
  const ids = list(c.p.VolumeIds);
  let items: EbsVolume[] = c.view.volumes;
  if (ids) {
    const r = volumesById(c.view, ids);
    if (!r.ok) return r;
    items = r.value;
  }
  return applyFilters(items, c.filters, VOLUME_FILTERS);
}

/** one EC2 call at t: the parsed response, or EC2's error */
function callOperation(c: CallCtx, op: string, t: number): Ec2Result<PyValue> {
  const w = c.env.world;
  if (c.here) settleCloud(w, t);
  const missingVolume = (id: string): Ec2Result<PyValue> => ({ ok: false, error: { code: /^vol-[0-9a-f]{8}$/.test(id) ? 'InvalidVolume.NotFound' : 'InvalidParameterValue', message: /^vol-[0-9a-f]{8}$/.test(id) ? `The volume '${id}' does not exist.` : `Value (${id}) for parameter volumeId is invalid. Expected: 'vol-...'.` } });
  switch (op) {
    case 'create-snapshot': {
      const id = str(c.p.VolumeId)!;
      if (!c.here) return missingVolume(id);
      const r = createSnapshot(w, c.env.rng, id, str(c.p.Description) ?? '', t);
      return r.ok ? { ok: true, value: snapshotItem(r.value, t, { progress: false, tags: true }, true) } : r;
    }
    case 'describe-snapshots': {
      const r = describeSnapshots(c, t);
      return r.ok ? { ok: true, value: pyDict([['Snapshots', r.value.map((s) => snapshotItem(s, t, { progress: true, tags: false }, false))]], RM) } : r;
    }
    case 'describe-volumes': {
      const r = describeVolumes(c);
      return r.ok ? { ok: true, value: pyDict([['Volumes', r.value.map((v) => volumeItem(v, { tags: false }, false))]], RM) } : r;
    }
    case 'create-volume': {
      const size = str(c.p.Size);
      const az = str(c.p.AvailabilityZone)!;
      const type = str(c.p.VolumeType);
      if (type === 'io1') return { ok: false, error: { code: 'InvalidParameterValue', message: 'io1 volumes are not simulated on this box: use standard or gp2' } };
      if (c.p.Encrypted === true || str(c.p.KmsKeyId) !== undefined) return { ok: false, error: { code: 'InvalidParameterValue', message: 'encrypted volumes are not simulated on this box' } };
      if (!c.here) return { ok: false, error: { code: 'InvalidParameterValue', message: `Invalid availability zone: [${az}]` } };
      const r = createVolume(w, c.env.rng, { snapshotId: str(c.p.SnapshotId), sizeGiB: size === undefined ? undefined : parseInt(size, 10), az, type }, t);
      return r.ok ? { ok: true, value: volumeItem(r.value, { tags: true }, true) } : r;
    }
    case 'attach-volume': {
      const id = str(c.p.VolumeId)!;
      if (!c.here) return missingVolume(id);
      const r = attachVolume(w, { volumeId: id, instanceId: str(c.p.InstanceId)!, device: str(c.p.Device)! }, t);
      return r.ok ? { ok: true, value: attachmentItem(r.value, r.value.volumeId, false, true) } : r;
    }
    case 'detach-volume': {
      const id = str(c.p.VolumeId)!;
      if (!c.here) return missingVolume(id);
      const r = detachVolume(w, { volumeId: id, instanceId: str(c.p.InstanceId), device: str(c.p.Device) }, t);
      return r.ok ? { ok: true, value: attachmentItem(r.value, r.value.volumeId, false, true) } : r;
    }
    case 'delete-snapshot': {
      const id = str(c.p.SnapshotId)!;
      if (!c.here)
        return { ok: false, error: /^snap-[0-9a-f]{8}$/.test(id) ? { code: 'InvalidSnapshot.NotFound', message: `The snapshot '${id}' does not exist.` } : { code: 'InvalidParameterValue', message: `Value (${id}) for parameter snapshotId is invalid. Expected: 'snap-...'.` } };
      const r = deleteSnapshot(w, id, t);
      return r.ok ? { ok: true, value: pyDict([], RM) } : r;
    }
    case 'delete-volume': {
      const id = str(c.p.VolumeId)!;
      if (!c.here) return missingVolume(id);
      const r = deleteVolume(w, id, t);
      return r.ok ? { ok: true, value: pyDict([], RM) } : r;
    }
  }
  return { ok: false, error: { code: 'InvalidAction', message: `The action ${op} is not valid for this web service.` } };
}

/** botocore's Waiter.wait: call, match every item's state, sleep the delay, give up after max attempts */
function runWaiter(c: CallCtx, waiter: (typeof WAITER_SPECS)[string], _output: string): AwsResult {
  const w = c.env.world;
  for (let attempt = 1; ; attempt++) {
    const t = w.now;
    if (c.here) settleCloud(w, t);
    let states: string[] | null;
    if (waiter.describe === 'describe-snapshots') {
      const r = describeSnapshots(c, t);
      states = r.ok ? r.value.map((s) => s.state) : null;
    } else {
      const r = describeVolumes(c);
      states = r.ok ? r.value.map((v) => v.state) : null;
    }
    c.env.advance(ROUND_TRIP_MS);
    if (states === null) return fatal(`Waiter ${waiter.name} failed: Unexpected error encountered.`);
    if (states.length && states.every((s) => s === waiter.success)) return { stdout: '', stderr: '', code: 0 };
    if (waiter.failure && states.some((s) => s === waiter.failure)) return fatal(`Waiter ${waiter.name} failed: Waiter encountered a terminal failure state`);
    if (attempt >= WAITER_MAX_ATTEMPTS) return fatal(`Waiter ${waiter.name} failed: Max attempts exceeded`);
    if (c.env.timeLeft() < WAITER_DELAY_MS) return { stdout: '', stderr: `aws: the wait stopped after ${attempt} checks: this line may not let more virtual time pass; run it again to keep waiting\n`, code: 255 };
    const before = w.now;
    c.env.advance(WAITER_DELAY_MS);
    if (c.env.interrupted() || w.now - before < WAITER_DELAY_MS) return { stdout: '', stderr: '', code: 130 };
  }
}
