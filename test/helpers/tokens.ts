import { issueDevelopmentToken, type DevelopmentTokenRequest } from '../../gateway/auth/developmentAuth';

/** A development bearer token, as `patient-graph token` prints it. */
export function tokenFor(role: DevelopmentTokenRequest['role'], options: Omit<DevelopmentTokenRequest, 'role' | 'sub'> & { sub?: string } = {}): Promise<string> {
  return issueDevelopmentToken({ role, sub: options.sub ?? `test-${role}`, ...options });
}
