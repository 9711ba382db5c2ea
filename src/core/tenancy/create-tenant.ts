// Creates a workspace with the caller as its owner (public.create_tenant, under the caller's RLS session).
import type { TransactionSql } from 'postgres'

export async function createTenant(tx: TransactionSql, input: { name: string; timezone: string }): Promise<string> {
  const [row] = await tx<{ id: string }[]>`select public.create_tenant(${input.name}, ${input.timezone}) as id`
  return row!.id
}
