import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { isPurposeOfUse, isRole, ROLES, PURPOSES_OF_USE } from '../../core/security/Principal';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC } from '../../gateway/auth/AuthConfig';
import { developmentTokensAllowed, issueDevelopmentToken } from '../../gateway/auth/developmentAuth';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';

/**
 * `patient-graph token --role <role> [--sub …] [--facility <code>] [--purpose <purpose>]`: prints
 * a development token signed with the public development secret. Refused in production; only a
 * gateway in demo/development mode accepts these tokens.
 */
export const tokenCommand: CliCommand = {
  path: ['token'],
  summary: 'print a development bearer token (demo/development mode only)',
  usage: `patient-graph token --role <${ROLES.join('|')}> [--sub <id>] [--facility <MA_CSKCB>] [--purpose <${PURPOSES_OF_USE.join('|')}>] [--scope <s1,s2>] [--ttl <seconds>]`,
  async run(args, io) {
    if (!developmentTokensAllowed()) {
      io.err('patient-graph token: refused — development tokens are not issued in production (NODE_ENV or PATIENT_GRAPH_MODE is "production").');
      return 1;
    }
    const { flags, positional } = parseOptions(args, { values: ['role', 'sub', 'facility', 'purpose', 'scope', 'ttl'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const role = flags.get('role');
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const purpose = flags.get('purpose');
    if (purpose !== undefined && !isPurposeOfUse(purpose)) throw new UsageError(`--purpose must be one of ${PURPOSES_OF_USE.join(', ')}`);
    const facility = flags.get('facility');
    if (facility !== undefined && (typeof facility !== 'string' || parseFacilityCode(facility).kind === 'invalid')) {
      throw new UsageError('--facility must be a 5-digit facility code (MA_CSKCB)');
    }
    if ((role === 'clinician' || role === 'registrar') && facility === undefined) throw new UsageError(`a ${role} token needs --facility`);
    const sub = flags.get('sub');
    if (role === 'patient' && sub === undefined) throw new UsageError('a patient token needs --sub <the patient’s 12-digit national ID>');
    const ttl = flags.get('ttl');
    const ttlSec = ttl === undefined ? undefined : Number(ttl);
    // Longer than the gateway's default maximum lifetime would print a token the gateway refuses.
    if (ttlSec !== undefined && (!Number.isInteger(ttlSec) || ttlSec < 60 || ttlSec > DEFAULT_MAX_TOKEN_LIFETIME_SEC)) throw new UsageError(`--ttl must be 60 to ${DEFAULT_MAX_TOKEN_LIFETIME_SEC} seconds`);
    const scope = flags.get('scope');
    const token = await issueDevelopmentToken({
      role,
      sub: typeof sub === 'string' ? sub : `demo-${role}`,
      facilityCode: typeof facility === 'string' ? facility : null,
      ...(purpose !== undefined ? { purposeOfUse: purpose } : {}),
      ...(typeof scope === 'string' ? { scopes: scope.split(',').filter(Boolean) } : {}),
      ...(ttlSec !== undefined ? { ttlSec } : {}),
    });
    io.out(token);
    return 0;
  },
};
