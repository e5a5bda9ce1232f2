import type { ConfigReader } from '../../core/config/ConfigReader';
import { shippedSecretProblem } from '../../core/security/shippedSecretProblem';
import { COHORT_KEY_BYTES } from './cohortPseudonym';
import type { CohortProject } from './CohortProject';

/**
 * `analytics.projects` of the gateway config (docs/analytics.md, "Pseudonyms"): each project's id
 * (a short code, as clients name it in `cohort(project:)` and the audit record repeats it), its
 * secret (at least 32 bytes, never a shipped example) and the token subjects allowed to use it.
 */
export function parseCohortProjects(analytics: ConfigReader | undefined): CohortProject[] {
  if (!analytics?.has('projects')) return [];
  const seen = new Set<string>();
  return analytics.list('projects').map((project) => {
    project.rejectUnknownKeys(['id', 'secret', 'members']);
    const id = project.string('id', { pattern: /^[a-z0-9][a-z0-9-]{0,63}$/, patternHint: 'lower-case letters, digits and dashes, at most 64' });
    if (seen.has(id)) project.fail('id', `project ${id} is listed twice`);
    seen.add(id);
    const secret = project.string('secret');
    if (Buffer.byteLength(secret, 'utf8') < COHORT_KEY_BYTES) project.fail('secret', `expected at least ${COHORT_KEY_BYTES} bytes`);
    const shipped = shippedSecretProblem(secret);
    if (shipped) project.fail('secret', `refused: ${shipped}`);
    const members = project.stringList('members');
    if (members.length === 0) project.fail('members', 'expected the token subjects (`sub`) of the project’s analysts');
    return { id, secret: Buffer.from(secret, 'utf8'), members };
  });
}
