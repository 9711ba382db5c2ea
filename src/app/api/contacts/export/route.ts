import { contactFilterSchema } from '@/core/crm/contact-filter'
import { customFieldKeys, exportContactsCsv } from '@/core/crm/export-contacts-csv'
import { db } from '@/server/db/db'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: contactFilterSchema }, async ({ tx, tenant, claims, input }) => {
  const keys = await customFieldKeys(tx, tenant.id, input)
  // Later pages run in their own RLS transactions as the same user, after this one has committed.
  const body = exportContactsCsv((fn) => db().withUser(claims, fn), tenant.id, input, keys)
  const date = new Date().toISOString().slice(0, 10)
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${date}.csv"`,
      'cache-control': 'no-store',
    },
  })
})
