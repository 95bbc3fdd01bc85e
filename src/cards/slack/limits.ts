// Slack Block Kit limits (api.slack.com/reference/block-kit). Translation respects them by
// construction: content is shortened with "…" and a note, so Slack never rejects a message.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  headerText: 150,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  radioOptions: 10,
  selectOptions: 100,
  plainTextInput: 3000,
} as const;
