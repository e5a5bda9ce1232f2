import { Option } from 'commander';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { isPurposeOfUse, isRole, PURPOSES_OF_USE, ROLES } from '../../core/security/Principal';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC } from '../../gateway/auth/AuthConfig';
import { stringOption, UsageError, type CliCommand } from '../CliCommand';

/**
 * `patient-graph token --role <role> [--sub …] [--facility <code>] [--purpose <purpose>]`: prints
 * a development token signed with the public development secret. Refused in production; only a
 * gateway in demo/development mode accepts these tokens.
 */
export const tokenCommand: CliCommand = {
  path: ['token'],
  summary: 'print a development bearer token (demo/development mode only)',
  define(command) {
    command
      .addOption(new Option('--role <role>', 'who the token speaks for').choices(ROLES).makeOptionMandatory())
      .option('--sub <id>', 'subject; a patient token needs the patient\'s 12-digit national ID (default demo-<role>)')
      .option('--facility <MA_CSKCB>', '5-digit facility code; required for clinician and registrar')
      .addOption(new Option('--purpose <purpose>', 'purpose of use').choices(PURPOSES_OF_USE))
      .option('--scope <s1,s2>', 'comma-separated scopes')
      .option('--ttl <seconds>', `lifetime, 60 to ${DEFAULT_MAX_TOKEN_LIFETIME_SEC} seconds (the gateway's default maximum; default 8 hours)`)
      .addHelpText('after', '\nRefused (exit 1) when NODE_ENV or PATIENT_GRAPH_MODE is "production".');
  },
  async run(input, io) {
    const { developmentTokensAllowed, issueDevelopmentToken } = await import('../../gateway/auth/developmentAuth');
    if (!developmentTokensAllowed()) {
      io.err('patient-graph token: refused — development tokens are not issued in production (NODE_ENV or PATIENT_GRAPH_MODE is "production").');
      return 1;
    }
    const role = stringOption(input, 'role');
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const purpose = stringOption(input, 'purpose');
    if (purpose !== undefined && !isPurposeOfUse(purpose)) throw new UsageError(`--purpose must be one of ${PURPOSES_OF_USE.join(', ')}`);
    const facility = stringOption(input, 'facility');
    if (facility !== undefined && parseFacilityCode(facility).kind === 'invalid') throw new UsageError('--facility must be a 5-digit facility code (MA_CSKCB)');
    if ((role === 'clinician' || role === 'registrar') && facility === undefined) throw new UsageError(`a ${role} token needs --facility`);
    const sub = stringOption(input, 'sub');
    if (role === 'patient' && sub === undefined) throw new UsageError('a patient token needs --sub <the patient’s 12-digit national ID>');
    const ttl = stringOption(input, 'ttl');
    const ttlSec = ttl === undefined ? undefined : Number(ttl);
    // Longer than the gateway's default maximum lifetime would print a token the gateway refuses.
    if (ttlSec !== undefined && (!Number.isInteger(ttlSec) || ttlSec < 60 || ttlSec > DEFAULT_MAX_TOKEN_LIFETIME_SEC)) throw new UsageError(`--ttl must be 60 to ${DEFAULT_MAX_TOKEN_LIFETIME_SEC} seconds`);
    const scope = stringOption(input, 'scope');
    const token = await issueDevelopmentToken({
      role,
      sub: sub ?? `demo-${role}`,
      facilityCode: facility ?? null,
      ...(purpose !== undefined ? { purposeOfUse: purpose } : {}),
      ...(scope !== undefined ? { scopes: scope.split(',').filter(Boolean) } : {}),
      ...(ttlSec !== undefined ? { ttlSec } : {}),
    });
    io.out(token);
    return 0;
  },
};
