// The workspaces the signed-in user belongs to, with their role in each (RLS limits rows to their own).
import type { TransactionSql } from 'postgres'
import type { Role } from './roles'

export interface MyTenant {
  id: string
  name: string
  role: Role
}

export async function listMyTenants(tx: TransactionSql): Promise<MyTenant[]> {
  return tx<MyTenant[]>`
    select t.id, t.name, m.role
    from public.memberships m
    join public.tenants t on t.id = m.tenant_id
    where m.user_id = auth.uid()
    order by m.created_at, t.name`
}
