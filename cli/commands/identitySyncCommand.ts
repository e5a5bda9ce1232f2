import { silentLogger } from '../../core/logging/logger';
import { feedSourceOf, openGatewayRegistry } from '../gatewayHospitals';
import { parsePatientIndexStore } from '../../subgraphs/identity/parsePatientIndexStore';
import { commandLineOptions, UsageError, type CliCommand } from '../CliCommand';

/** Exit code when a source could not be read (the others were synced). */
export const EXIT_SOURCE_FAILED = 4;

/**
 * `patient-graph identity sync --database <postgres://… | pglite:dir> --gateway-config gateway.yaml
 * [--actor name]`: reads the registration feed (`patientChanges`) of every hospital the gateway
 * config lists — same URLs, same signing secrets — from where the last sync stopped, and matches
 * and links the new and changed charts into the persistent patient index (docs/identity.md §2).
 * Run it periodically (cron, a Kubernetes CronJob); each run reads only what changed since.
 * Each run is one record of the gateway's audit log (the store the config names): who, which
 * facilities, counts (docs/audit.md).
 */
export const identitySyncCommand: CliCommand = {
  path: ['identity', 'sync'],
  summary: 'link the hospitals’ new and changed patient records into the patient index (registration feed)',
  define(command) {
    command
      .requiredOption('--database <postgres://… | pglite:<dir>>', 'the persistent patient index')
      .requiredOption('--gateway-config <file>', 'the gateway config whose hospitals (url, secret) are read')
      .option('--actor <name>', 'who syncs, recorded on every link as sync:<name> (default cli)')
      .addHelpText('after', ['', 'Exit codes: 0 every source synced, 4 a source could not be read (the others were), 1 bad config.'].join('\n'));
  },
  async run(input, io) {
    const flags = commandLineOptions(input);
    if (input.args.length > 0) throw new UsageError(`unexpected argument ${input.args[0]}`);
    const database = flags.get('database');
    const configPath = flags.get('gateway-config');
    if (typeof database !== 'string' || typeof configPath !== 'string') throw new UsageError('--database and --gateway-config are required');
    const store = parsePatientIndexStore(database);
    if (store === undefined) throw new UsageError('--database must be a postgres:// URL or pglite:<directory>');
    const actor = typeof flags.get('actor') === 'string' ? String(flags.get('actor')) : 'cli';
    const [{ loadConfigOrReport }, { parseGatewayConfig }, { openSqlPatientIndex }, { syncPatientChanges }, { openConfiguredAuditLog }, { identityRunEntry }] = await Promise.all([
      import('../loadConfigOrReport'),
      import('../../gateway/config/parseGatewayConfig'),
      import('../../subgraphs/identity/openSqlPatientIndex'),
      import('../../subgraphs/identity/syncPatientChanges'),
      import('../../gateway/audit/openConfiguredAuditLog'),
      import('../../gateway/audit/identityRunEntry'),
    ]);
    const config = loadConfigOrReport('identity sync', configPath, (raw, file) => parseGatewayConfig(raw, file), io);
    if (!config) return 1;
    // The gateway's audit log first: a sync that could not be audited does not run (no link made unaudited).
    const audit = await openConfiguredAuditLog(config).catch((error: unknown) => error as Error);
    if (audit instanceof Error) {
      io.err(`identity sync: the gateway's audit log cannot be opened (${audit.message}); nothing synced`);
      return 1;
    }
    try {
      await audit.checkAvailable?.();
      const index = await openSqlPatientIndex(store);
      try {
        // The config's hospitals, then those registered at runtime (docs/registry.md), as the gateway reaches them.
        const registry = await openGatewayRegistry(config.state, silentLogger);
        const configured = new Set(config.hospitals.map((h) => h.code));
        const registered = registry.list().filter((s) => !configured.has(s.code));
        await registry.close();
        const sources = [...config.hospitals, ...registered].map((h) => feedSourceOf(h, config.sourceTls, 30_000));
        const outcomes = await syncPatientChanges(index, sources, { actor });
        for (const o of outcomes) {
          const counts = `${o.records} records: ${o.linked} linked, ${o.review} to review, ${o.unmatched} not matched`;
          if (o.error === undefined) io.out(`${o.facilityCode}: ${counts}`);
          else io.err(`${o.facilityCode}: not synced (${o.error}); ${counts} before it failed`);
        }
        // Who, which facilities, counts: never who was linked (docs/audit.md).
        const record = await audit.append(identityRunEntry('identity sync', `sync:${actor}`, outcomes));
        io.out(`audited as record #${record.seq}`);
        return outcomes.some((o) => o.error !== undefined) ? EXIT_SOURCE_FAILED : 0;
      } finally {
        await index.close();
      }
    } finally {
      await audit.close();
    }
  },
};
