import { parse as parseForm } from 'node:querystring';

// What Slack sends, checked before Bolt reads it: a body Bolt would choke on (nested past any
// payload Slack sends, or of the wrong type) is the sender's fault, hence 400.

/** Slack's payloads nest a dozen levels at most (blocks in a view in a payload). */
const MAX_DEPTH = 64;

/** True when the body is one Slack could have sent on /slack/events. */
export function wellFormedSlackBody(body: string, contentType: string | undefined): boolean {
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = parseForm(body);
    if (Object.values(form).some((value) => Array.isArray(value))) return false;
    // A slash command is flat; an interaction carries its payload as JSON.
    return form.payload === undefined || typedJsonObject(String(form.payload));
  }
  return typedJsonObject(body);
}

function typedJsonObject(text: string): boolean {
  if (depthOf(text) > MAX_DEPTH) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
  } catch {
    return false;
  }
}

/** The deepest nesting of objects and arrays in a JSON text, counted without parsing it. */
function depthOf(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, (depth += 1));
    else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}
