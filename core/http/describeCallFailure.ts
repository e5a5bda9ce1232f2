/**
 * The reason a call to a source failed, for the server log (never for the caller: it may name
 * internal hosts): the cause's message and code, with what a TLS failure means for an operator.
 * Reads `message`/`code` structurally: errors raised inside Node's TLS layer are not always
 * instances of this realm's `Error`.
 */
export function describeCallFailure(cause: unknown, overTls: boolean): string | undefined {
  if (cause === null || typeof cause !== 'object') return undefined;
  const { message, code } = cause as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : undefined;
  const codeText = typeof code === 'string' ? code : undefined;
  const plain = [text, codeText ? `(${codeText})` : undefined].filter((part) => part !== undefined).join(' ');
  if (codeText !== undefined && SERVER_CERTIFICATE_REFUSED.has(codeText)) {
    return `TLS: the source's server certificate was not accepted (is its CA the configured caFile?): ${plain}`;
  }
  if (codeText?.startsWith('ERR_SSL_') || codeText?.startsWith('ERR_TLS_')) return `TLS handshake failed: ${plain}`;
  // TLS 1.3 finishes the client's side of the handshake before the server checks the client's
  // certificate, so a refused client certificate reaches the client as a closed connection.
  if (overTls && codeText !== undefined && CLOSED.has(codeText)) {
    return `the source closed the TLS connection, as it does when it refuses this gateway's client certificate (missing, or not from the CA it trusts): ${plain}`;
  }
  return plain === '' ? undefined : plain;
}

/** Node's codes for a server certificate that does not verify (OpenSSL's X509 verify errors, RFC 5280). */
const SERVER_CERTIFICATE_REFUSED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);
