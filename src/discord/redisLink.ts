import { createClient, RESP_TYPES } from '@redis/client';

interface RawMulti {
  addCommand(args: (string | Buffer)[]): RawMulti;
  exec(): Promise<unknown[]>;
}

interface RawClient {
  sendCommand(args: (string | Buffer)[]): Promise<unknown>;
  multi(): RawMulti;
  close(): Promise<void>;
}

/**
 * The few Redis commands the bot sends, as raw command lines with Buffer replies (saves are
 * compressed bytes, not text). One connection per bot instance; commands are pipelined by the
 * client. The client reconnects by itself; a command sent while it is down fails at once, and the
 * step that needed it is answered with an error instead of acting on a stale copy.
 */
export class RedisLink {
  private constructor(private readonly client: RawClient) {}

  static async connect(url: string): Promise<RedisLink> {
    const client = createClient({ url, disableOfflineQueue: true }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    // errors are reported through the commands that fail; without a listener the client would throw them at the process
    client.on('error', () => undefined);
    await client.connect();
    return new RedisLink(client as unknown as RawClient);
  }

  send(...args: (string | Buffer | number)[]): Promise<unknown> {
    return this.client.sendCommand(args.map((a) => (typeof a === 'number' ? String(a) : a)));
  }

  /** commands run as one MULTI/EXEC, sent together so no other command on the connection lands inside it */
  async transaction(ops: (string | Buffer | number)[][]): Promise<unknown[]> {
    let multi = this.client.multi();
    for (const op of ops) multi = multi.addCommand(op.map((a) => (typeof a === 'number' ? String(a) : a)));
    return multi.exec();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** a reply as text (Buffer replies decoded), or null */
export function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  return Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply);
}
