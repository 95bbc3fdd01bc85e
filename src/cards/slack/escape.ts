import { shortenChars } from '../text.js';

// Slack reads `<...>` as mentions and links and `&` as the start of an entity; escaping
// those three keeps text literal. `verbatim: true` stops auto-linking of the rest.
// Slack mrkdwn has no escape for its formatting characters: in the text itself they become
// look-alikes that Slack does not read as markers, so that `*`, `_`, `~` and `` ` `` in what
// someone wrote can never open bold, italics, strikethrough or code. The markers this
// translation adds are then the only ones in the output.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '\u2217',
  _: '\u02CD',
  '~': '\u223C',
  '`': '\u02CB',
};

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>*_~`]/g, (char) => ENTITIES[char] ?? char);
}

/** A word character right outside a marker stops Slack reading it; a zero-width space does not show. */
const WORD = /[\p{L}\p{N}]/u;
const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Wraps each line of `text` in `marker`, with the line's spaces outside the markers: Slack
 * reads `*Léa :*` as bold, and shows `*Léa : *` as typed.
 */
function wrapLines(text: string, marker: string): string {
  if (marker === '') return text;
  return text
    .split('\n')
    .map((line) => {
      const core = line.trim();
      if (core === '') return line;
      const start = line.indexOf(core);
      return `${line.slice(0, start)}${marker}${core}${marker}${line.slice(start + core.length)}`;
    })
    .join('\n');
}

export interface Piece {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/**
 * Joins pieces into escaped mrkdwn of at most `max` characters, cutting on a character
 * boundary (never inside an entity or a formatting marker) and ending with "…" when cut.
 */
export function mrkdwnWithin(pieces: readonly Piece[], max: number): { text: string; cut: boolean } {
  let out = '';
  let budget = max - 1;
  // A marker touching a word character outside it is not read as one: a zero-width space
  // keeps them apart.
  let endsWithMarker = false;
  const append = (text: string, marker: string) => {
    const opens = marker !== '' && text.startsWith(marker) && WORD.test(out.at(-1) ?? '');
    const glue = opens || (endsWithMarker && WORD.test(text.at(0) ?? '')) ? ZERO_WIDTH_SPACE : '';
    out += glue + text;
    budget -= glue.length + text.length;
    endsWithMarker = marker !== '' && text.endsWith(marker);
  };
  for (const piece of pieces) {
    const marker = piece.bold ? '*' : piece.italic ? '_' : '';
    if (piece.text.trim() === '') {
      if (piece.text.length > budget) return { text: `${out}…`, cut: true };
      append(piece.text, '');
      continue;
    }
    // Two markers per line, and room for a zero-width space on either side.
    const markers = marker === '' ? Number(endsWithMarker) : 2 * piece.text.split('\n').length + 2;
    const room = budget - markers;
    if (room <= 0) return { text: `${out}…`, cut: true };
    // The text escaped in one pass (a flat string, not one concatenation per character);
    // only when it does not fit, the longest prefix whose escaped form does.
    let body = escapeMrkdwn(piece.text);
    const cut = body.length > room;
    if (cut) {
      let used = 0;
      let end = 0;
      for (const char of piece.text) {
        const size = (ENTITIES[char] ?? char).length;
        if (used + size > room) break;
        used += size;
        end += char.length;
      }
      body = escapeMrkdwn(piece.text.slice(0, end));
    }
    append(wrapLines(body, marker), marker);
    if (cut) return { text: `${out}…`, cut: true };
  }
  return { text: out, cut: false };
}

/** A plain_text object, shortened to Slack's limit for where it goes. */
export function plainText(text: string, max: number): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text: shortenChars(text.trim() === '' ? '…' : text, max) };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
}
