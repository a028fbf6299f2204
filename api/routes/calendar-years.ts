/**
 * `GET /admin/calendar`: which years the working-day calendar knows and where each comes from, so an
 * admin sees at a glance which years are provisional (weekends and fixed holidays only) and still
 * wait for the State Council's notice to be uploaded with `PUT /admin/calendar/{year}`.
 */
import { z } from 'zod';
import { listCalendarYearSummaries } from '../../db/repositories/calendar';
import { WorkCalendar } from '../../domain/calendar';
import type { AppContext } from '../context';
import type { ApiRoutes } from '../routing';
import { instant } from '../schemas/common';
import { renderTimes } from '../time';

/** Years shown besides those with data: the running year and the next two (clocks reach into them). */
const YEARS_AHEAD = 2;

const calendarYearsResponse = z
  .object({
    items: z.array(
      z.object({
        year: z.number().int(),
        source: z.enum(['uploaded', 'package', 'provisional']).meta({
          description:
            'uploaded: an official list loaded by an admin; package: the official data shipped with the calendar package; provisional: no official data, computed on weekends and fixed statutory holidays.',
        }),
        provisional: z.boolean(),
        offDays: z.number().int().nullable().meta({ description: 'Uploaded years: days off in the list.' }),
        workdays: z.number().int().nullable().meta({ description: 'Uploaded years: make-up working days (调休).' }),
        updatedBy: z.string().nullable(),
        updatedAt: instant.nullable(),
      }),
    ),
  })
  .meta({ id: 'CalendarYears' });

export function registerCalendarYearRoutes(routes: ApiRoutes, { db, now }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/admin/calendar',
      tag: 'Administration',
      summary: 'The calendar years known: uploaded, shipped with the package, or provisional',
      access: 'admin',
      responses: { 200: { description: 'Oldest year first', schema: calendarYearsResponse } },
      problems: [403],
    },
    async () => {
      const uploaded = new Map((await listCalendarYearSummaries(db)).map((y) => [y.year, y]));
      const packaged = new WorkCalendar();
      const thisYear = Number(now().toISOString().slice(0, 4));
      const years = new Set<number>(uploaded.keys());
      for (let year = 2000; year <= thisYear + YEARS_AHEAD; year++)
        if (packaged.hasOfficialData(year) || year >= thisYear) years.add(year);
      const items = [...years]
        .sort((a, b) => a - b)
        .map((year) => {
          const saved = uploaded.get(year);
          if (saved) {
            const offDays = saved.days.filter((d) => d.isOffDay).length;
            return {
              year,
              source: 'uploaded' as const,
              provisional: false,
              offDays,
              workdays: saved.days.length - offDays,
              updatedBy: saved.updatedBy,
              updatedAt: saved.updatedAt,
            };
          }
          const official = packaged.hasOfficialData(year);
          return {
            year,
            source: official ? ('package' as const) : ('provisional' as const),
            provisional: !official,
            offDays: null,
            workdays: null,
            updatedBy: null,
            updatedAt: null,
          };
        });
      return { status: 200, body: renderTimes({ items }) };
    },
  );
}
