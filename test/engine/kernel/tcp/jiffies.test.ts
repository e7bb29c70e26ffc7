import { createTcpStack } from '../../../../engine/kernel/tcp';
import { jiffiesAt, msOfJiffies, tsVal } from '../../../../engine/kernel/tcp/jiffies';

describe('the jiffies clock', () => {
  it('puts every tick computed from epoch milliseconds back on its own jiffy', () => {
    const tcp = createTcpStack({ bootMs: 1426032000000 - 259_200_000 + 123.4, now: 1426032000000 });
    const j0 = jiffiesAt(tcp, tcp.now);
    for (let k = 0; k < 2000; k++) {
      const j = j0 + k * 71;
      expect(jiffiesAt(tcp, msOfJiffies(tcp, j))).toBe(j);
      expect(jiffiesAt(tcp, msOfJiffies(tcp, j) - 0.001)).toBe(j - 1);
    }
  });

  it('starts TSval 5 minutes before it wraps, as INITIAL_JIFFIES does', () => {
    const tcp = createTcpStack({ bootMs: 0, now: 0 });
    expect(tsVal(tcp, 0)).toBe(2 ** 32 - 75_000);
    expect(tsVal(tcp, 75_000)).toBe(0);
    expect(jiffiesAt(tcp, 300_000)).toBe(75_000);
  });
});
