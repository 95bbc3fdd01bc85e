// Slack's documented Block Kit limits (https://api.slack.com/reference/block-kit/blocks,
// /block-elements, /composition-objects, /surfaces/views), checked on what the bot really
// sent. Returns the broken limits, so a failing test says which one and where.

type Json = Record<string, unknown>;

const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  inputLabel: 2_000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  radioOptions: 10,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3_000,
  callbackId: 255,
  plainTextInputMax: 3_000,
};

export function messageProblems(args: Json): string[] {
  const problems: string[] = [];
  const blocks = (args.blocks as Json[] | undefined) ?? [];
  if (blocks.length > LIMITS.messageBlocks) problems.push(`message has ${blocks.length} blocks`);
  if (typeof args.text === 'string' && args.text.length > LIMITS.messageText) problems.push('message text too long');
  if (typeof args.text !== 'string' || args.text === '') problems.push('message without fallback text');
  blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks[${i}]`)));
  return problems;
}

export function modalProblems(view: Json): string[] {
  const problems: string[] = [];
  const blocks = (view.blocks as Json[] | undefined) ?? [];
  if (view.type !== 'modal') problems.push('view is not a modal');
  if (blocks.length > LIMITS.modalBlocks) problems.push(`modal has ${blocks.length} blocks`);
  if (textOf(view.title).length > LIMITS.modalTitle) problems.push('modal title too long');
  if (view.submit && textOf(view.submit).length > LIMITS.modalButton) problems.push('modal submit label too long');
  if (view.close && textOf(view.close).length > LIMITS.modalButton) problems.push('modal close label too long');
  if (String(view.private_metadata ?? '').length > LIMITS.privateMetadata) problems.push('private_metadata too long');
  if (String(view.callback_id ?? '').length > LIMITS.callbackId) problems.push('callback_id too long');
  blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks[${i}]`)));
  return problems;
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null && typeof (value as Json).text === 'string' ? ((value as Json).text as string) : '';
}

function blockProblems(block: Json, where: string): string[] {
  const problems: string[] = [];
  const limit = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  limit(String(block.block_id ?? '').length <= LIMITS.blockId, 'block_id too long');
  switch (block.type) {
    case 'section': {
      limit(textOf(block.text).length <= LIMITS.sectionText, 'section text over 3000');
      const fields = (block.fields as Json[] | undefined) ?? [];
      limit(fields.length <= LIMITS.sectionFields, 'more than 10 fields');
      fields.forEach((field) => limit(textOf(field).length <= LIMITS.fieldText, 'field text over 2000'));
      limit(block.text !== undefined || fields.length > 0, 'section without text or fields');
      if (block.accessory) problems.push(...elementProblems(block.accessory as Json, `${where}.accessory`));
      break;
    }
    case 'header':
      limit(textOf(block.text).length <= LIMITS.headerText, 'header over 150');
      limit((block.text as Json | undefined)?.type === 'plain_text', 'header not plain_text');
      break;
    case 'context': {
      const elements = (block.elements as Json[] | undefined) ?? [];
      limit(elements.length > 0 && elements.length <= LIMITS.contextElements, 'context elements count');
      elements.forEach((element) => limit(textOf(element).length <= LIMITS.sectionText, 'context text over 3000'));
      break;
    }
    case 'actions': {
      const elements = (block.elements as Json[] | undefined) ?? [];
      limit(elements.length > 0 && elements.length <= LIMITS.actionsElements, 'actions elements count');
      elements.forEach((element, i) => problems.push(...elementProblems(element, `${where}.elements[${i}]`)));
      break;
    }
    case 'input':
      limit(textOf(block.label).length > 0 && textOf(block.label).length <= LIMITS.inputLabel, 'input label length');
      problems.push(...elementProblems(block.element as Json, `${where}.element`));
      break;
    case 'divider':
      break;
    default:
      problems.push(`${where}: unexpected block type ${String(block.type)}`);
  }
  return problems;
}

function elementProblems(element: Json, where: string): string[] {
  const problems: string[] = [];
  const limit = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  limit(String(element.action_id ?? '').length <= LIMITS.actionId, 'action_id too long');
  if (element.placeholder) limit(textOf(element.placeholder).length <= LIMITS.placeholder, 'placeholder over 150');
  const options = (element.options as Json[] | undefined) ?? [];
  options.forEach((option) => {
    limit(textOf(option.text).length <= LIMITS.optionText, 'option text over 75');
    limit(String(option.value ?? '').length <= LIMITS.optionValue, 'option value over 150');
  });
  switch (element.type) {
    case 'button':
      limit(textOf(element.text).length > 0 && textOf(element.text).length <= LIMITS.buttonText, 'button text length');
      limit(String(element.value ?? '').length <= LIMITS.buttonValue, 'button value over 2000');
      break;
    case 'static_select':
      limit(options.length <= LIMITS.selectOptions, 'more than 100 options');
      break;
    case 'radio_buttons':
    case 'checkboxes':
      limit(options.length <= LIMITS.radioOptions, 'more than 10 options');
      break;
    case 'plain_text_input':
      limit(Number(element.max_length ?? 0) <= LIMITS.plainTextInputMax, 'max_length over 3000');
      break;
    default:
      break;
  }
  return problems;
}
