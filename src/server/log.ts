// Structured logs; anything that could carry a secret is redacted before it is written.
import pino from 'pino'

export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.CONVERSA_SERVICE ?? 'app' },
  redact: {
    paths: ['password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie', 'headers.authorization'],
    censor: '[redacted]',
  },
})
