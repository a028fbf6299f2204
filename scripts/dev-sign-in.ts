/**
 * The dev sign-in of the embedded mode (`npm start` only; `createApp` never mounts it, so the API of
 * `npm run start:api` and production has no such route). The console's sign-in page lists the active
 * staff directory from `GET /dev/staff` and signs in with one click through `POST /dev/sign-in { staffId }`, which
 * answers a bearer token signed with the dev secret, exactly like those `npm start` prints.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { signToken } from '../api/auth';
import type { Kysely } from 'kysely';
import { listStaff } from '../db/repositories/staff';
import type { Database } from '../db/schema';
import type { Role } from '../domain/case';

export interface DevStaffMember {
  id: string;
  name: string;
  role: Role;
  team: string | null;
}

/** The active members of the staff directory (seeded by `npm start`, kept by PUT /staff), by id. */
export async function directorySignInList(db: Kysely<Database>): Promise<DevStaffMember[]> {
  const members = await listStaff(db, { active: true });
  return members.map(({ id, name, role, team }) => ({ id, name, role, team }));
}

const signInBody = z.object({ staffId: z.string().min(1).max(100) }).strict();

export function devSignInRouter(secret: string, staff: () => Promise<readonly DevStaffMember[]>): Router {
  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  router.use((_req, res, next) => {
    res.locals.route = '/dev';
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/staff', async (_req, res) => {
    res.json({ items: await staff() });
  });
  router.post('/sign-in', async (req, res) => {
    const parsed = signInBody.safeParse(req.body);
    const member = parsed.success ? (await staff()).find((s) => s.id === parsed.data.staffId) : undefined;
    if (!member) {
      res.status(400).type('application/problem+json').json({
        type: '/problems/validation',
        title: 'Bad Request',
        status: 400,
        detail: 'staffId names no active member of the staff directory (GET /dev/staff).',
      });
      return;
    }
    const principal =
      member.team === null
        ? { sub: member.id, role: member.role }
        : { sub: member.id, role: member.role, team: member.team };
    res.json({ token: signToken(principal, secret, '12h'), staff: member });
  });
  return router;
}
