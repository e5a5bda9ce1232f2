/**
 * Whether an outbound call failed while connecting or because the peer closed the connection
 * before answering (refused, reset, a keep-alive socket the server had just closed). Only such a
 * call may be retried, and only for an idempotent read: the source did not answer it.
 */
export function isConnectionError(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
