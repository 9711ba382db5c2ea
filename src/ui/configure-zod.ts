// Zod in the browser runs without its `new Function` fast path: the CSP allows no eval in production, and
// zod's probe for it, though caught, is still reported as a policy violation. The server keeps the fast path.
import { z } from 'zod'

if (typeof window !== 'undefined') z.config({ jitless: true })
