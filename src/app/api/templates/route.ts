import { NextResponse } from 'next/server'
import { z } from 'zod'
import { listTemplates, listTemplatesQuery } from '@/core/templates/list-templates'
import { templateDraftSchema } from '@/core/whatsapp/template-draft'
import { tenantRoute } from '@/server/http/route'
import { graphDeps } from '@/server/whatsapp/deps'
import { createTemplate } from '@/server/whatsapp/template-actions'

export const GET = tenantRoute({ input: listTemplatesQuery }, async ({ tx, tenant, input }) => ({ templates: await listTemplates(tx, tenant.id, input) }))

const createInput = z.object({ wabaId: z.string().regex(/^\d{5,20}$/), template: templateDraftSchema })

export const POST = tenantRoute({ input: createInput, minRole: 'admin', maxBodyBytes: 64_000 }, async ({ tx, tenant, input }) =>
  NextResponse.json({ template: await createTemplate(tx, tenant.id, input.wabaId, input.template, graphDeps()) }, { status: 201 }),
)
