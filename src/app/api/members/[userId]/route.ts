import { notFound } from '@/core/errors/app-error'
import { changeMemberRole, changeRoleInput, memberUserIdParam, removeMember } from '@/core/tenancy/manage-member'
import { tenantRoute, type TenantContext } from '@/server/http/route'

function target(params: TenantContext<unknown>['params']) {
  const parsed = memberUserIdParam.safeParse(params.userId)
  if (!parsed.success) throw notFound('Member')
  return parsed.data
}

const actorOf = ({ tenant, claims }: TenantContext<unknown>) => ({ tenantId: tenant.id, userId: claims.sub, role: tenant.role })

export const PATCH = tenantRoute({ input: changeRoleInput, maxBodyBytes: 1_000, peopleOnly: true }, async (ctx) =>
  changeMemberRole(ctx.tx, actorOf(ctx), target(ctx.params), ctx.input.role),
)

export const DELETE = tenantRoute({ peopleOnly: true }, async (ctx) => removeMember(ctx.tx, actorOf(ctx), target(ctx.params)))
