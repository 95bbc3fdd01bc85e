import type { Command, Decision } from './commands.js';
import { checkText } from './limits.js';
import { accept, refreshStep, refuse, type Context } from './outcome.js';
import { inRunningMeeting, isRefusal } from './participation.js';
import { consultantsOf } from './selectors.js';

// Step 3, the only consensus step. Agreements name the version they agree to, so a
// revised contract needs everyone's agreement again.

export function writeContract(ctx: Context, command: Extract<Command, { type: 'writeContract' }>): Decision {
  const gate = inRunningMeeting(ctx, 'writeContract');
  if (isRefusal(gate)) return gate;
  const badText = checkText(command.text);
  if (badText) return badText;
  const { run, meeting } = gate;
  const version = (run.contract.at(-1)?.version ?? 0) + 1;
  run.contract.push({ version, text: command.text.trim(), writtenBy: ctx.actor.userId, at: ctx.now.toISOString() });
  run.agreements = {};
  return accept(ctx.group, [refreshStep(meeting.id)]);
}

export function answerContract(ctx: Context, command: Extract<Command, { type: 'answerContract' }>): Decision {
  const gate = inRunningMeeting(ctx, 'answerContract');
  if (isRefusal(gate)) return gate;
  const { run, meeting } = gate;
  const latest = run.contract.at(-1)?.version;
  if (latest === undefined) return refuse('contractMissing');
  if (command.version !== latest) return refuse('staleContract', { version: latest });
  run.agreements[ctx.actor.userId] = { version: latest, stance: command.stance, at: ctx.now.toISOString() };
  return accept(ctx.group, [refreshStep(meeting.id)]);
}

/** Meetings are often in a room: the animateur records a consultant's spoken agreement. */
export function recordAgreement(ctx: Context, command: Extract<Command, { type: 'recordAgreement' }>): Decision {
  const gate = inRunningMeeting(ctx, 'recordAgreement');
  if (isRefusal(gate)) return gate;
  const { run, meeting } = gate;
  if (!consultantsOf(ctx.group, meeting.id).includes(command.consultantId)) return refuse('notConsultant');
  const latest = run.contract.at(-1)?.version;
  if (latest === undefined) return refuse('contractMissing');
  if (command.version !== latest) return refuse('staleContract', { version: latest });
  run.agreements[command.consultantId] = {
    version: latest,
    stance: 'agree',
    recordedBy: ctx.actor.userId,
    at: ctx.now.toISOString(),
  };
  return accept(ctx.group, [refreshStep(meeting.id)]);
}
