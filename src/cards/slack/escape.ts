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
    if (budget - markers <= 0) return { text: `${out}…`, cut: true };
    let body = '';
    let cut = false;
    for (const char of piece.text) {
      const escaped = ENTITIES[char] ?? char;
      if (body.length + escaped.length > budget - markers) {
        cut = true;
        break;
      }
      body += escaped;
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
