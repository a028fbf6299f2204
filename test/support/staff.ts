/** Staff directory rows for tests: an assignee must be an active member of the case's team. */
import { saveStaffMember } from '../../db/repositories/staff';
import type { Executor } from '../../db/repositories/support';
import type { Role } from '../../domain/case';

export async function hire(
  db: Executor,
  id: string,
  team: string | null,
  opts: { role?: Role; active?: boolean; name?: string } = {},
): Promise<string> {
  await saveStaffMember(
    db,
    id,
    {
      name: opts.name ?? '测试员',
      role: opts.role ?? 'agent',
      team,
      supervisorId: null,
      hiredAt: '2025-01-02',
      active: opts.active ?? true,
    },
    'test',
  );
  return id;
}
