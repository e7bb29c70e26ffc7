/**
 * Text from the game or the player shown in Discord markdown must come out as typed: no ping, no
 * formatting, no link. Two places, two rules:
 *  - in prose (embeds, plain content), every markdown character gets a backslash (Discord, like
 *    simple-markdown, takes `\` before any ASCII punctuation as that character), `<` included, so
 *    `<@id>`, `<#id>` and `</cmd:id>` show as text; `@everyone` and `@here` get a zero-width space
 *    after the `@`, which no escape in Discord's markdown covers;
 *  - in a code block nothing renders except the fence itself, so only backtick runs are broken up.
 * Messages also carry `allowed_mentions: { parse: [] }`, so even a mention that slipped through
 * would not notify anyone.
 */
const ZWSP = '\u200b';

export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|>[\]()#<]/g, (c) => `\\${c}`)
    .replace(/^(\s*)-(?=\s)/gm, '$1\\-') // a list item
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`);
}

/** Code-block content: a run of backticks can never close the fence. */
export function escapeCodeBlock(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZWSP}`);
}

export function codeBlock(text: string): string {
  return '```\n' + escapeCodeBlock(text) + '\n```';
}

/** The player's line as the game takes it: one line, no control characters. */
export function cleanSpell(raw: string): string {
  return raw.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}
