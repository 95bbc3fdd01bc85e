import { shortenChars } from '../text.js';

// Slack reads `<...>` as mentions and links and `&` as the start of an entity; escaping
// those three keeps user text literal. `verbatim: true` stops auto-linking of the rest.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
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
  for (const piece of pieces) {
    const open = piece.bold ? '*' : piece.italic ? '_' : '';
    const markers = open.length * 2;
    if (piece.text.trim() === '') {
      if (piece.text.length > budget) return { text: `${out}…`, cut: true };
      out += piece.text;
      budget -= piece.text.length;
      continue;
    }
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
    out += `${open}${body}${open}`;
    budget -= body.length + markers;
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
