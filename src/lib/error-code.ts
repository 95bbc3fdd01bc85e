/**
 * What a log line may say of an error: its class and code (a driver's, a platform's HTTP
 * status), never its message, which may quote a query or what someone wrote.
 */
export function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  const known = code ?? statusCode;
  return typeof known === 'string' || typeof known === 'number' ? `${error.name}:${known}` : error.name;
}
