import { createTcpStack, type TcpStack } from '../../../engine/kernel/tcp';
import { closeSocketFd, openSocketFd, socketFds, socketInode, stackOf } from '../../../engine/machine/tcp';
import type { MachineWorld } from '../../../engine/machine/world';

/** The machine's bookkeeping around the kernel's TCP stack: which processes hold which sockets. */
const world = (subsys: Record<string, unknown> | undefined, pids: number[] = [10, 20]): MachineWorld =>
  ({ now: 5_000, k: { bootTime: 1_000, subsys, procs: pids.map((pid) => ({ pid })) } }) as unknown as MachineWorld;

describe('machine/tcp', () => {
  it('finds the stack only when the kernel really has one, and starts its clock at the boot', () => {
    expect(stackOf(world(undefined))).toBeNull();
    // a subsystem merely named tcp (the stub chapter's knob holder) is not the stack
    expect(stackOf(world({ tcp: { lowLatency: 0 } }))).toBeNull();
    const tcp = createTcpStack();
    const s = stackOf(world({ tcp }))!;
    expect(s).toBe(tcp);
    expect([s.bootMs, s.now]).toEqual([1_000, 5_000]);
    // a stack already running keeps its clock
    const running: TcpStack = { ...createTcpStack({ bootMs: 700, now: 4_000 }) };
    expect([stackOf(world({ tcp: running }))!.bootMs, running.now]).toEqual([700, 4_000]);
  });

  it('keeps which process holds which socket on which descriptor, for live processes only', () => {
    const w = world({ tcp: createTcpStack() });
    openSocketFd(w, 3, 20, 5);
    openSocketFd(w, 3, 10, 7);
    openSocketFd(w, 3, 10, 7);
    openSocketFd(w, 4, 99, 3);
    expect(socketFds(w, 3)).toEqual([
      { sock: 3, pid: 10, fd: 7 },
      { sock: 3, pid: 20, fd: 5 },
    ]);
    // pid 99 is not running: its descriptor shows nowhere
    expect(socketFds(w, 4)).toEqual([]);
    closeSocketFd(w, 3, 20);
    expect(socketFds(w, 3)).toEqual([{ sock: 3, pid: 10, fd: 7 }]);
    closeSocketFd(w, 3);
    expect(socketFds(w, 3)).toEqual([]);
    // plain JSON in the world, so it survives a save
    expect(JSON.parse(JSON.stringify(w)).netFds).toEqual([{ sock: 4, pid: 99, fd: 3 }]);
  });

  it('gives a socket an inode number that depends on the socket and the boot only', () => {
    const a = world({ tcp: createTcpStack() });
    expect(socketInode(a, 7)).toBe(socketInode(world({}), 7));
    expect(socketInode(a, 7)).not.toBe(socketInode(a, 8));
    expect(socketInode(a, 7)).toBeGreaterThanOrEqual(10_000);
  });
});
