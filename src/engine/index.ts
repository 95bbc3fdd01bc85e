// The pure engine: domain types, the decision function, the reminder plan and read-only selectors.
export * from './types.js';
export * from './commands.js';
export * from './steps.js';
export * from './selectors.js';
export { decide } from './decide.js';
export { lazyPlan, planReminders, reminderKey, REMINDER_RULES } from './reminders.js';
export { FORGOTTEN, FORGOTTEN_AUTHOR, retentionEndsAt } from './gdpr.js';
export { TEXT_MAX, TITLE_MAX } from './limits.js';
export { DEFAULT_CALENDAR, cadenceDate } from './calendar.js';
export { DEFAULT_REMINDERS, DEFAULT_RETENTION_DAYS, defaultStepMinutes } from './group.js';
export { isValidLocalDate, isValidLocalDateTime, isValidLocalTime, isValidTimeZone, localToUtcIso } from './time.js';
export { writtenTexts } from './written-guard.js';
export { findThirdPartyData, type ThirdPartyKind, type ThirdPartyFinding } from './third-party-data.js';
