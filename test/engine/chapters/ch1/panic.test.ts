import { newGame, play } from './walkthrough.helpers';

/**
 * The box's /etc/sysctl.conf sets kernel.panic = 10, so a panicking kernel resets itself; only a
 * kernel told to hang (kernel.panic = 0) needs the player to reset it from the cloud console.
 * What the player is told must agree with what the machine did.
 */
describe('chapter 1: a kernel panic and who brings the machine back', () => {
  it('with kernel.panic = 10 the machine reboots itself, and nobody touches the console', () => {
    const g = newGame(3);
    const [panicSetting] = play(g, ['sysctl kernel.panic']);
    expect(panicSetting).toContain('kernel.panic = 10');
    play(g, ['sudo sysctl -w vm.panic_on_oom=1', 'sleep 2h']);
    const [back] = play(g, ['true']);
    expect(back).toContain('Connection to ns2 closed by remote host.');
    expect(back).not.toMatch(/cloud console/);
    expect(back).not.toMatch(/You wait for ns2/);
    // it came back on its own, well before the player looked: up for longer than a boot takes
    const [uptime] = play(g, ['cat /proc/uptime']);
    expect(Number(/^(\d+\.\d+) /.exec(uptime!)?.[1])).toBeGreaterThan(120);
  });

  it('with kernel.panic = 0 the kernel hangs until the player resets it from the cloud console', () => {
    const g = newGame(3);
    play(g, ['sudo sysctl -w kernel.panic=0', 'sudo sysctl -w vm.panic_on_oom=1', 'sleep 2h']);
    const [back] = play(g, ['cat /proc/uptime']);
    expect(back).toContain('its console shows a kernel panic. You reset it from the cloud console.');
    // the reset is what brought it back: the uptime starts at the reset, not at the panic
    const up = Number(/^(\d+\.\d+) /m.exec(back!.split('You ssh back in')[1]!.trim())?.[1]);
    expect(up).toBeLessThan(120);
  });
});
