/**
 * The annual result (年度考核): each agent's twelve months combined (the mean of the final months'
 * totals, graded on the bands in force) and the year's excellent staff (年度优秀客服人员). Supervisors
 * read their team's, HR and managers everyone's; agents read their own months through /assessments.
 */
import { z } from 'zod';
import { annualAssessment } from '../../services/assessment-annual';
import { scopeTeam } from '../auth';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { annualQuery, annualResponse } from '../schemas/assessments';
import { renderTimes } from '../time';

const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();

export function registerAnnualAssessmentRoute(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/assessments/annual/{year}',
      tag: 'Assessments',
      summary:
        'The annual result per agent: the months combined, grade, and the year’s excellent staff (年度优秀客服人员)',
      description:
        'Combines the final monthly assessments of the year. 年度优秀客服人员: the year graded 优秀, no month 不合格 and at least ten months assessed. `computedAt` is when the January run fixed the result; null while it is the year so far.',
      access: ['supervisor', 'manager', 'admin', 'hr'],
      params: yearParams,
      query: annualQuery,
      responses: { 200: { description: 'The annual result', schema: annualResponse } },
      problems: [403, 404],
    },
    async ({ principal, params, query }) => {
      const own = scopeTeam(principal);
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const team = own ?? query.team;
      const result = await annualAssessment(db, params.year, {
        ...(team === undefined ? {} : { team }),
        ...(query.staffId === undefined ? {} : { staffId: query.staffId }),
      });
      return { status: 200, body: renderTimes(result) };
    },
  );
}
