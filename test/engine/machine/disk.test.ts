import { createGame, restoreGame, ENGINE_MIGRATIONS, ENGINE_VERSION, type GameHandle, type OutputBlock, type SavedGame } from '../../../engine/index';

/**
 * The simulated disk is finite: stored files and swap files share the root filesystem's free
 * space (derived, one accounting), df shows it, writes past it fail as bash and coreutils say, and
 * a quota on all stored files keeps the save small.
 */
const SEED = 77;
/** the quota on all stored files (engine/vfs/space.ts), written out so this test runs against any engine */
const STORE_QUOTA = 8 * 1024 * 1024;

const text = (blocks: OutputBlock[], kind?: OutputBlock['kind']): string =>
  blocks
    .filter((b) => kind === undefined || b.kind === kind)
    .map((b) => ('text' in b ? b.text : ''))
    .join('');

function fresh(): GameHandle {
  const g = createGame('1', SEED);
  g.start();
  return g;
}

/** df -k's numbers for / */
function root(g: GameHandle): { total: number; used: number; avail: number } {
  const line = text(g.step('df /'), 'spell-output').split('\n')[1]!;
  const [, total, used, avail] = line.split(/\s+/);
  return { total: Number(total), used: Number(used), avail: Number(avail) };
}

describe('the disk', () => {
  test('df lists the filesystems of a trusty EC2 box, / on /dev/xvda1', () => {
    const g = fresh();
    const out = text(g.step('df -h'), 'spell-output').split('\n');
    expect(out[0]).toBe('Filesystem      Size  Used Avail Use% Mounted on');
    expect(out.slice(1, -1).map((l) => l.split(/\s+/)[0] + ' ' + l.split(/\s+/)[5])).toEqual([
      '/dev/xvda1 /',
      'none /sys/fs/cgroup',
      'udev /dev',
      'tmpfs /run',
      'none /run/lock',
      'none /run/shm',
      'none /run/user',
    ]);
    expect(out[1]).toMatch(/^\/dev\/xvda1 {6}7\.8G {2}2\.\dG {2}5\.\dG {2}3\d% \/$/);
  });

  test('stored files count against / in df, block by block', () => {
    const g = fresh();
    const before = root(g);
    g.step('seq 100000 > /tmp/numbers');
    const after = root(g);
    // 588895 bytes are 144 blocks of 4 KiB
    expect(after.used - before.used).toBe(576);
    expect(before.avail - after.avail).toBe(576);
    g.step('> /tmp/numbers');
    expect(root(g)).toEqual(before);
  });

  test('swap files and stored files share the free space: past it, writes fail as bash and coreutils say', () => {
    const g = fresh();
    const { avail, total, used } = root(g);
    // fill all but what root alone may use, less a few blocks
    const swapKb = avail - 8;
    expect(text(g.step(`sudo fallocate -l ${swapKb}K /swapfile`), 'error')).toBe('');
    expect(root(g).avail).toBe(8);
    // 6393 bytes: two blocks
    expect(text(g.step('seq 1500 > /tmp/small; echo $?'), 'spell-output')).toBe('0\n');
    expect(root(g).avail).toBe(0);
    expect(text(g.step('echo hello > /tmp/more'), 'error')).toBe('bash: echo: write error: No space left on device\n');
    expect(text(g.step('seq 10 >> /tmp/more'), 'error')).toBe('seq: write error: No space left on device\n');
    const tee = g.step('echo hello | tee /tmp/more');
    expect([text(tee, 'spell-output'), text(tee, 'error')]).toEqual(['hello\n', 'tee: /tmp/more: No space left on device\n']);
    expect(text(g.step("awk 'BEGIN { print 1 > \"/tmp/more\" }'"), 'error')).toBe('awk: run time error: cannot open "/tmp/more" for output (No space left on device)\n');
    expect(text(g.step('seq 10 | sort -o /tmp/more'), 'error')).toBe('sort: write failed: /tmp/more: No space left on device\n');
    // root may still use the blocks ext4 keeps for it
    expect(text(g.step('echo hello | sudo tee /tmp/root-only'), 'error')).toBe('');
    expect(text(g.step(`sudo fallocate -l ${total}K /swapfile2`), 'error')).toBe('fallocate: /swapfile2: fallocate failed: No space left on device\n');
    // what is used is derived: truncating a file gives its blocks back
    g.step('> /tmp/small');
    expect(text(g.step('echo hello > /tmp/more; cat /tmp/more'), 'spell-output')).toBe('hello\n');
    expect(root(g).used).toBeGreaterThan(used + swapKb);
  });

  test('twelve seq 1000000 files make no 96 MB save: the quota stops them, and the save restores', () => {
    const g = fresh();
    const outcomes: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const r = g.step(`seq 1000000 > /tmp/big${i}; echo $?`);
      outcomes.push(text(r, 'error') + text(r, 'spell-output'));
    }
    expect(outcomes[0]).toBe('0\n');
    expect(outcomes[1]).toBe('seq: write error: Disk quota exceeded\n1\n');
    // fill what is left of the quota, halving what is appended each time it does not fit
    for (let n = 100_000; n >= 1; ) {
      const r = text(g.step(`seq ${n} >> /tmp/fill`), 'error');
      if (r !== '') {
        expect(r).toBe('seq: write error: Disk quota exceeded\n');
        n = Math.floor(n / 2);
      }
    }
    // a new file past the quota cannot even be created: the redirection fails, as bash says
    expect(text(g.step('echo x > /tmp/fresh'), 'error')).toBe('bash: /tmp/fresh: Disk quota exceeded\n');
    const saved = g.snapshot();
    const size = JSON.stringify(saved).length;
    expect(size).toBeLessThan(STORE_QUOTA + 4 * 1024 * 1024);
    const copy = restoreGame(JSON.parse(JSON.stringify(saved)) as SavedGame);
    expect(text(copy.step('wc -l /tmp/big1'), 'spell-output')).toBe('1000000 /tmp/big1\n');
    // emptying a file makes room again
    expect(text(copy.step('> /tmp/big1; seq 3 > /tmp/big2; cat /tmp/big2'), 'spell-output')).toBe('1\n2\n3\n');
  });
});

describe('saves of engine version 2', () => {
  test('the running total becomes the system part: the swap files made since are taken out', () => {
    const g = fresh();
    g.step('sudo fallocate -l 1G /swapfile');
    const now = g.snapshot();
    const state = JSON.parse(JSON.stringify(now.state)) as { world: { machine: Record<string, unknown>; k: { mem: { swaps: Array<{ sizeKb: number }> } } } };
    const system = state.world.machine.diskSystemKb as number;
    // as engine 2 kept it: the system's files plus the swap file
    delete state.world.machine.diskSystemKb;
    state.world.machine.diskUsedKb = system + state.world.k.mem.swaps[0]!.sizeKb;
    const v2: SavedGame = { ...now, engineVersion: 2, state: state as never };
    const v3 = ENGINE_MIGRATIONS[2]!(v2);
    expect(v3.engineVersion).toBe(3);
    expect(v3.state).toEqual(now.state);
    let current = v3;
    while (current.engineVersion < ENGINE_VERSION) current = ENGINE_MIGRATIONS[current.engineVersion]!(current);
    expect(text(restoreGame(current).step('df /'), 'spell-output')).toBe(text(g.step('df /'), 'spell-output'));
  });
});

describe('find -xdev', () => {
  it('stays on the filesystem it starts on: /proc and /run are listed as directories, not walked', () => {
    const g = fresh();
    const find = (line: string): string[] => text(g.step(line), 'spell-output').split('\n').filter(Boolean);
    const everywhere = find('sudo find / -maxdepth 3 -name status');
    expect(everywhere.some((l) => /^\/proc\/\d+\/status$/.test(l))).toBe(true);
    expect(find('sudo find / -xdev -maxdepth 3 -name status').filter((l) => l.startsWith('/proc/'))).toEqual([]);
    const top = find('sudo find / -xdev -maxdepth 1 -type d');
    expect(top).toEqual(expect.arrayContaining(['/', '/proc', '/run', '/etc', '/var']));
    expect(find('sudo find / -xdev -path "/run/*"')).toEqual([]);
    expect(find('sudo find /proc -xdev -maxdepth 1 -name 1')).toEqual(['/proc/1']);
  });
});
