// Production wiring for template actions.
import { config } from '@/server/config'
import { graph } from './graph'
import type { TemplateDeps } from './template-actions'

export const templateDeps = (): TemplateDeps => ({ graph: graph(), encryptionKey: config().ENCRYPTION_KEY })
