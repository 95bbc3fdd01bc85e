/**
 * How a failure is named in a log line: the error's class and its code (a driver's, a
 * platform's HTTP status), never its message, which may quote what someone wrote.
 */
export function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  const detail = code ?? statusCode;
  return typeof detail === 'string' || typeof detail === 'number' ? `${error.name}:${detail}` : error.name;
}
