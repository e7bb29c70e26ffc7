import { MessageFlags } from 'discord-api-types/v10';
import type { DiscordMessage } from './render';
import { encodeBody } from './wire';

/**
 * A message as Discord takes it, in an interaction response or through the interaction webhook:
 * private to the player (ephemeral) and never pinging anyone, whatever the text says.
 */
export function messageData(msg: DiscordMessage, opts: { ephemeral?: boolean } = {}): Record<string, unknown> {
  return {
    ...(msg.content !== undefined ? { content: msg.content } : {}),
    ...(msg.embeds ? { embeds: msg.embeds } : {}),
    components: msg.components ?? [],
    ...(msg.files && msg.files.length > 0 ? { attachments: msg.files.map((f, id) => ({ id, filename: f.name })) } : {}),
    allowed_mentions: { parse: [] },
    ...(opts.ephemeral === false ? {} : { flags: MessageFlags.Ephemeral }),
  };
}

/** how long a rate-limited webhook call waits before its one retry, at most */
const MAX_RETRY_WAIT_MS = 5000;

/**
 * The interaction webhook: after a deferred answer (type 5) the reply is the original message,
 * edited with PATCH webhooks/{application}/{token}/messages/@original; the messages after it
 * are follow-ups, POST webhooks/{application}/{token}. Tokens are good for 15 minutes.
 */
export class InteractionWebhook {
  constructor(
    private readonly apiBase: string,
    private readonly applicationId: string,
    private readonly log: (m: string) => void,
  ) {}

  editOriginal(token: string, msg: DiscordMessage): Promise<boolean> {
    return this.send('PATCH', `/webhooks/${this.applicationId}/${encodeURIComponent(token)}/messages/@original`, msg, false);
  }

  /** `ephemeral` false for party play: the channel sees it */
  followUp(token: string, msg: DiscordMessage, ephemeral = true): Promise<boolean> {
    return this.send('POST', `/webhooks/${this.applicationId}/${encodeURIComponent(token)}`, msg, ephemeral);
  }

  private async send(method: string, route: string, msg: DiscordMessage, ephemeral: boolean): Promise<boolean> {
    // an edit keeps the flags the deferred answer set; a follow-up sets its own
    const data = messageData(msg, { ephemeral });
    const { body, contentType } = await encodeBody(data, msg.files);
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.apiBase}${route}`, { method, headers: { 'content-type': contentType }, body });
      } catch (e) {
        this.log(`${method} ${route.replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/<token>')} failed: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
      if (res.ok) {
        await res.arrayBuffer();
        return true;
      }
      const text = await res.text().catch(() => '');
      if (res.status === 429 && attempt === 0) {
        let wait = 1000;
        try {
          wait = Math.min(MAX_RETRY_WAIT_MS, Math.max(0, Number((JSON.parse(text) as { retry_after?: number }).retry_after ?? 1) * 1000));
        } catch {
          // keep the default wait
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      this.log(`${method} webhook answered ${res.status}: ${text.slice(0, 200)}`);
      return false;
    }
    return false;
  }
}
