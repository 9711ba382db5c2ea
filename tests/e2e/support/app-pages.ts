// The app's pages a browser test walks: every signed-in page with a fixed address (each shows a `main h1`).
export const SIGNED_IN_PAGES = ['/dashboard', '/inbox', '/contacts', '/contacts/import', '/templates', '/campaigns', '/campaigns/new', '/settings/numbers', '/settings/members', '/settings/messaging', '/settings/api-keys', '/settings/security', '/admin/queues', '/admin/tenants']
