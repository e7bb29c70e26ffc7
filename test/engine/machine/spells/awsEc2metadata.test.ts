import { game, say, worldOf } from '../ebs/ebsBox';

/** ec2metadata of cloud-utils 0.27 (trusty's cloud-guest-utils) on the EC2 test box. */
describe('ec2metadata', () => {
  it('prints the fields asked for, one per line, in that order; the misspelt reservation id is always unavailable', () => {
    const g = game();
    const cloud = worldOf(g).cloud!;
    expect(say(g, 'ec2metadata --instance-id')).toBe(cloud.instanceId);
    expect(say(g, 'ec2metadata --availability-zone --instance-id --local-ipv4 --local-hostname')).toBe(`us-east-1b\n${cloud.instanceId}\n10.1.2.3\nip-10-1-2-3.ec2.internal`);
    // a unique prefix is enough for getopt
    expect(say(g, 'ec2metadata --avail')).toBe('us-east-1b');
    expect(say(g, 'ec2metadata --reserveration-id')).toBe('unavailable');
  });

  it('answers bad options as the script does (getopt\'s error, its usage on stderr, exit 1) and says what it does not know', () => {
    const g = game();
    const out = say(g, 'ec2metadata --inst; echo $?');
    expect(out.startsWith('Error: option --inst not a unique prefix\nSyntax: /usr/bin/ec2metadata [options]\n\nQuery and display EC2 metadata.\n\nIf no options are provided, all options will be displayed\n\nOptions:\n    -h --help               show this help\n')).toBe(true);
    expect(out.endsWith('    -u | --url URL          use URL (default: http://169.254.169.254/2009-04-04)\n\n\n1')).toBe(true);
    expect(say(g, 'ec2metadata --bogus 2>&1 | head -1')).toBe('Error: option --bogus not recognized');
    expect(say(g, 'ec2metadata --instance-id=x 2>&1 | head -1')).toBe('Error: option --instance-id must not have an argument');
    expect(say(g, 'ec2metadata -x 2>&1 | head -1')).toBe('Error: option -x not recognized');
    expect(say(g, 'ec2metadata --ami-id; echo $?')).toBe("ec2metadata: this instance's ami-id is not simulated on this box\n1");
  });
});
