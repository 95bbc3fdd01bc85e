import { z } from 'zod';

// The parts of Slack's payloads the bot reads, checked at the edge. Shapes from
// https://api.slack.com/interactivity/slash-commands and https://api.slack.com/reference/interaction-payloads

const id = z.string().min(1).max(100);
const url = z.string().url().max(2_000);

export const slashCommandSchema = z.object({
  team_id: id,
  channel_id: id,
  user_id: id,
  user_name: z.string().max(200).default(''),
  text: z.string().max(4_000).default(''),
  trigger_id: id,
  response_url: url.optional(),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

const user = z.object({ id, name: z.string().max(200).optional(), username: z.string().max(200).optional() });

/** A value from `state.values`, whichever element it came from. */
const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).optional(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
});
export const stateSchema = z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) });
export type StateValues = z.infer<typeof stateSchema>['values'];

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id }).nullish(),
  user: user.extend({ team_id: id.optional() }),
  trigger_id: id,
  response_url: url.optional(),
  channel: z.object({ id }).optional(),
  container: z.object({
    type: z.string(),
    message_ts: z.string().optional(),
    channel_id: z.string().optional(),
    view_id: z.string().optional(),
    is_ephemeral: z.boolean().optional(),
  }),
  message: z.object({ ts: z.string(), blocks: z.array(z.unknown()).optional() }).optional(),
  view: z.object({ id, hash: z.string(), private_metadata: z.string().max(3_000).optional() }).optional(),
  state: stateSchema.optional(),
  actions: z
    .array(
      z.object({
        type: z.string(),
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.string().max(2_000).optional(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

export const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  team: z.object({ id }).nullish(),
  user: user.extend({ team_id: id.optional() }),
  view: z.object({
    id,
    hash: z.string(),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3_000),
    state: stateSchema,
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;
