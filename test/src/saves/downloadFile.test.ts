import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerChapter } from '../../../engine/chapters/registry';
import { createGame } from '../../../engine/index';
import { downloadMachineFile } from '../../../src/saves/downloadFile';
import { tcpChapter } from '../../fixtures/tcp-chapter';
import { grimoire, script, tempDir } from '../cli.helpers';

registerChapter(tcpChapter);

describe('download PATH [LOCAL]', () => {
  it('writes the bytes of a pcap tcpdump -w left on the machine, as many as ls -l says', async () => {
    const dir = tempDir();
    const g = createGame('tcp-test', 5);
    g.start();
    g.step('sudo tcpdump -i lo -w /tmp/lo.pcap -c 6 port 4151');
    const ls = g.step('ls -l /tmp/lo.pcap').map((b) => ('text' in b ? b.text : '')).join('');
    const size = Number(/root root (\d+) /.exec(ls)![1]);
    const local = join(dir, 'lo.pcap');
    expect(await downloadMachineFile(g, '/tmp/lo.pcap', local)).toBe(`Downloaded /tmp/lo.pcap (${size} bytes) to ${local}.`);
    const bytes = readFileSync(local);
    expect(bytes.length).toBe(size);
    // libpcap's magic in the writer's little-endian order, version 2.4, snaplen 65535, EN10MB
    expect([...bytes.subarray(0, 8)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    expect(bytes.readUInt32LE(16)).toBe(65535);
    expect(bytes.readUInt32LE(20)).toBe(1);
    // six records follow, each as long as its header says
    let at = 24;
    let n = 0;
    while (at < bytes.length) {
      at += 16 + bytes.readUInt32LE(at + 8);
      n++;
    }
    expect([at, n]).toEqual([bytes.length, 6]);
  });

  it('refuses what the player may not read, folders, and files it did not write unless --force', async () => {
    const dir = tempDir();
    const g = createGame('tcp-test', 5);
    g.start();
    await expect(downloadMachineFile(g, '/nope', join(dir, 'x'))).rejects.toThrow('/nope: No such file or directory');
    await expect(downloadMachineFile(g, '/etc', join(dir, 'x'))).rejects.toThrow('/etc: Is a directory');
    await expect(downloadMachineFile(g, '/proc/slabinfo', join(dir, 'x'))).rejects.toThrow('/proc/slabinfo: Permission denied');
    const mine = join(dir, 'notes.txt');
    writeFileSync(mine, 'my own notes\n');
    await expect(downloadMachineFile(g, '/etc/hostname', mine)).rejects.toThrow(/already exists and is not one of the game’s own files; the game does not replace files it did not write\. To replace it anyway: download --force \/etc\/hostname .*notes\.txt\./);
    expect(readFileSync(mine, 'utf8')).toBe('my own notes\n');
    await downloadMachineFile(g, '/etc/hostname', mine, { force: true });
    expect(readFileSync(mine, 'utf8')).toBe('beacon-1\n');
    mkdirSync(join(dir, 'sub'));
    await expect(downloadMachineFile(g, '/etc/hostname', join(dir, 'sub'), { force: true })).rejects.toThrow(/is a folder, not a plain file|is a directory, not a plain file/);
    symlinkSync(mine, join(dir, 'link'));
    await expect(downloadMachineFile(g, '/etc/hostname', join(dir, 'link'), { force: true })).rejects.toThrow(/is a symbolic link/);
  });

  it('works through the public contract: grimoire play N --script', () => {
    const dir = tempDir();
    const r = grimoire(['play', '1', '--seed', '3', '--script', '-', '--json'], script([`download /etc/hostname ${join(dir, 'h.txt')}`, `download /etc/hostname ${join(dir, 'h.txt')}`, 'download /etc/nothing', 'download']));
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { output?: string });
    const host = readFileSync(join(dir, 'h.txt'), 'utf8');
    expect(host).toMatch(/^[a-z0-9-]+\n$/);
    expect(lines[0]!.output).toBe(`Downloaded /etc/hostname (${host.length} bytes) to ${join(dir, 'h.txt')}.`);
    expect(lines[1]!.output).toMatch(/already exists and is not one of the game’s own files/);
    expect(lines[2]!.output).toBe('download: /etc/nothing: No such file or directory');
    expect(lines[3]!.output).toBe('download: which file? (download PATH [LOCAL])');
  });
});
