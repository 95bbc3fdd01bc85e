/** A Block Kit block or element, kept loose: Slack's own typings are not a dependency here. */
export type SlackBlock = { type: string; [key: string]: unknown };

export interface SlackMessage {
  /** Notification fallback: a card label, never user content. */
  text: string;
  blocks: SlackBlock[];
}

export interface SlackModalView {
  type: 'modal';
  callback_id: string;
  title: { type: 'plain_text'; text: string };
  submit?: { type: 'plain_text'; text: string };
  close: { type: 'plain_text'; text: string };
  /** The submit action's data, as JSON: what `parseCardAction` reads back. */
  private_metadata: string;
  blocks: SlackBlock[];
}

/** Action ids the adapter dispatches on; the rest of the id keeps buttons unique. */
export const SLACK_ACTION = {
  execute: 'codev.execute',
  showCard: 'codev.showCard',
  openForm: 'codev.openForm',
  openUrl: 'codev.openUrl',
} as const;
