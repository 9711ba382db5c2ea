// Response shapes and query keys of the templates API as the templates page uses them.
import type { Role } from '@/core/tenancy/roles'

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'DELETED'
export const TEMPLATE_STATUSES: TemplateStatus[] = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED']
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const

export interface TemplateRow {
  id: string
  name: string
  language: string
  category: string
  status: TemplateStatus
  components: unknown[]
  qualityScore: string | null
  rejectedReason: string | null
  wabaId: string
  updatedAt: string
}

export interface TemplatesResponse {
  templates: TemplateRow[]
}

/** Per WhatsApp Business Account: how many templates were synced, or why Meta refused. */
export interface SyncResponse {
  accounts: { wabaId: string; upserted?: number; removed?: number; error?: string }[]
}

export const templateKeys = {
  all: (tenantId: string | null) => ['templates', tenantId] as const,
}

export const isAdmin = (role: Role | undefined) => role === 'owner' || role === 'admin'

export const STATUS_STYLE: Record<string, string> = {
  APPROVED: 'bg-brand-50 text-brand-700 ring-brand-600/20',
  PENDING: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  REJECTED: 'bg-red-50 text-red-700 ring-red-600/20',
  PAUSED: 'bg-orange-50 text-orange-700 ring-orange-600/20',
  DISABLED: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  DELETED: 'bg-slate-100 text-slate-500 ring-slate-500/20',
}

/** A Meta enum value (APPROVED, PENDING_DELETION, MARKETING) as a person reads it: "Approved", "Pending deletion". */
export const metaLabel = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ')
