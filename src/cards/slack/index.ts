// Adaptive Card JSON to Slack Block Kit: pure functions, no Slack SDK.
export { toSlackMessage, type SlackOptions } from './message.js';
export { toSlackModal, slackStateToInputs, type ModalOptions } from './modal.js';
export { escapeMrkdwn } from './escape.js';
export { SLACK_LIMITS } from './limits.js';
export { SLACK_ACTION, type SlackBlock, type SlackMessage, type SlackModalView } from './types.js';
