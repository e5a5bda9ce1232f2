import { randomBytes } from 'node:crypto';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { parseCohortProjects } from '../../../../gateway/analytics/parseCohortProjects';

const secret = randomBytes(32).toString('hex');
const parse = (projects: unknown) => parseCohortProjects(ConfigReader.root({ projects }));

describe('analytics.projects (cohort pseudonyms shared within a project)', () => {
  it('reads each project: its id, its secret as bytes and its members', () => {
    expect(parse([{ id: 'diabetes-2026', secret, members: ['analyst-17', 'analyst-18'] }])).toEqual([
      { id: 'diabetes-2026', secret: Buffer.from(secret, 'utf8'), members: ['analyst-17', 'analyst-18'] },
    ]);
    expect(parseCohortProjects(ConfigReader.root({}))).toEqual([]);
  });

  it.each([
    ['a short secret', [{ id: 'p', secret: 'too short', members: ['a'] }], /secret/],
    ['a project listed twice', [{ id: 'p', secret, members: ['a'] }, { id: 'p', secret, members: ['b'] }], /listed twice/],
    ['no members', [{ id: 'p', secret, members: [] }], /members/],
    ['an id that is not a short code', [{ id: 'Diabetes Study', secret, members: ['a'] }], /id/],
    ['an unknown key', [{ id: 'p', secret, members: ['a'], key: 'x' }], /key/],
  ])('refuses %s', (_what, projects, message) => {
    expect(() => parse(projects)).toThrow(message);
  });
});
