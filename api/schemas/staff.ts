/** The staff directory (人员): records, the list and its filters. */
import { ROLES } from '../../domain/case';
import { z } from 'zod';
import { instant, text } from './common';
import { teamName } from './claims';
import { requiredWhen, withRules } from './rules';

export const staffIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{1,100}$/, 'A staff id: letters, digits, . _ @ - (1–100).');

export const staffIdParams = z.object({ staffId: staffIdSchema }).strict();

const TEAM_ROLES: readonly string[] = ['agent', 'supervisor'];

export const staffBody = withRules(
  z
    .object({
      name: text(100),
      role: z.enum(ROLES),
      team: teamName.optional().meta({ description: 'Required for agents and supervisors (their scope).' }),
      supervisorId: staffIdSchema.optional().meta({ description: 'A supervisor in the directory.' }),
      hiredAt: z.iso.date().meta({ example: '2025-03-01' }),
      active: z.boolean().meta({ description: 'Only active staff can be assigned cases.' }),
    })
    .strict(),
  [
    requiredWhen(
      'role',
      TEAM_ROLES,
      ROLES.filter((r) => !TEAM_ROLES.includes(r)),
      'team',
      'Agents and supervisors belong to a team.',
    ),
  ],
).meta({ id: 'StaffRecord' });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const staffQuery = z
  .object({
    team: teamName.optional().meta({ description: 'Supervisors: their own team only (the default).' }),
    role: z.enum(ROLES).optional(),
    active: flag.optional(),
  })
  .strict();

export const staffMemberSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    team: z.string().nullable(),
    supervisorId: z.string().nullable(),
    hiredAt: z.string().meta({ example: '2025-03-01' }),
    active: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'StaffMember' });

export const staffListResponse = z.object({ items: z.array(staffMemberSchema) }).meta({ id: 'StaffList' });
