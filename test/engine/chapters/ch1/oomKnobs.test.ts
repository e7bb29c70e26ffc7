import { newGame, play } from './walkthrough.helpers';

/** The 3.16 vm.oom_* knobs are there, and turning them really changes what the OOM killer does and prints. */
describe('chapter 1: the vm.oom_* knobs', () => {
  const spellText = (g: ReturnType<typeof newGame>, line: string): string =>
    g
      .step(line)
      .filter((b) => b.kind === 'spell-output')
      .map((b) => (b.kind === 'spell-output' ? b.text : ''))
      .join('');

  it('sysctl -a lists the three with their boot values', () => {
    const g = newGame(4);
    expect(spellText(g, 'sysctl -a 2>/dev/null | grep oom')).toBe('vm.oom_dump_tasks = 1\nvm.oom_kill_allocating_task = 0\nvm.panic_on_oom = 0\n');
  });

  it('with oom_dump_tasks = 0 the reports after it carry no task table', () => {
    const g = newGame(4);
    const tablesBefore = Number(spellText(g, 'sudo dmesg | grep -c "\\[ pid \\]   uid  tgid"'));
    const killsBefore = Number(spellText(g, 'sudo dmesg | grep -c "Killed process"'));
    expect(tablesBefore).toBeGreaterThan(0);
    play(g, ['sudo sysctl -w vm.oom_dump_tasks=0', 'sudo dmesg -c > /dev/null', 'sleep 20m']);
    const kills = Number(spellText(g, 'sudo dmesg | grep -c "Killed process"'));
    expect(kills).toBeGreaterThan(0);
    expect(spellText(g, 'sudo dmesg | grep -c "\\[ pid \\]   uid  tgid"').trim()).toBe('0');
    expect(killsBefore).toBeGreaterThan(0);
  });

  it('with oom_kill_allocating_task = 1 the killer shoots the task that asked, at score 0', () => {
    const g = newGame(4);
    play(g, ['sudo sysctl -w vm.oom_kill_allocating_task=1', 'sudo dmesg -c > /dev/null', 'sleep 20m']);
    const lines = spellText(g, 'sudo dmesg | grep "Kill process"').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/\] Out of memory \(oom_kill_allocating_task\): Kill process \d+ \(\S+\) score 0 or sacrifice child$/);
    // and turned back off, the scan picks again
    play(g, ['sudo sysctl -w vm.oom_kill_allocating_task=0', 'sudo dmesg -c > /dev/null', 'sleep 20m']);
    const after = spellText(g, 'sudo dmesg | grep "Kill process"').trim().split('\n');
    for (const l of after) expect(l).toMatch(/\] Out of memory: Kill process \d+ \(\S+\) score [1-9]\d* or sacrifice child$/);
  });
});
