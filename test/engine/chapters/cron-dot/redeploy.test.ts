import { createGame } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';

/** The facilitator's injection: config management runs again and undoes the player's rename. */
it('a redeploy after the fix puts the job out of cron\'s reach again, and the story says so', () => {
  const g = createGame('cron-dot', 11);
  g.start();
  const fixed = blocksToPlainText(g.step('sudo mv /etc/cron.d/report-export.cron /etc/cron.d/report-export'));
  expect(fixed).toContain('[objective] Cron ran the export 3 times in a row: holding (0 of 3 runs since you arrived)');
  const r = g.inject('redeploy');
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.happened).toMatch(/^The deploy wrote \/etc\/cron.d\/report-export.cron again at \d\d:\d\d UTC and removed \/etc\/cron.d\/report-export\.$/);
  const after = blocksToPlainText(r.blocks);
  expect(after).toContain("The job is out of cron's reach again.");
  expect(after).toMatch(/\[objective\] Cron ran the export 3 times in a row: failing/);
  expect(blocksToPlainText(g.step('ls /etc/cron.d')).split('\n')[0]).toBe('report-export.cron');
  expect(g.inspect().diagnosis).toMatch(/^A deploy rewrote the export's cron table/);
});
