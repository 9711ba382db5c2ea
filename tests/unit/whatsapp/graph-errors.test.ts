import { describe, expect, it } from 'vitest'
import { classifyGraphError, GRAPH_ERROR_CODES, GraphApiError, type GraphErrorInfo } from '@/core/whatsapp/graph-errors'
import bodies from './fixtures/graph-error-bodies.json'

// A Graph error body as Meta answers a failed call, with a title that must never decide the classification.
const graphBody = (code: number, extra: Record<string, unknown> = {}) => ({
  error: {
    message: `(#${code}) misleading title: rate limit token expired`,
    type: 'OAuthException',
    code,
    fbtrace_id: 'Axyz',
    ...extra,
  },
})
const classify = (code: number, httpStatus = 400) => classifyGraphError({ httpStatus, body: graphBody(code) })

type Expectation = [code: number, kind: GraphErrorInfo['kind'], scope: GraphErrorInfo['scope']]
const TAXONOMY: Expectation[] = [
  [130429, 'throttled', 'number'],
  [80007, 'throttled', 'account'],
  [4, 'throttled', 'account'],
  [131056, 'throttled', 'recipient'],
  [133016, 'throttled', 'number'],
  [131000, 'transient', 'message'],
  [131016, 'transient', 'number'],
  [2, 'transient', 'number'],
  [131057, 'transient', 'number'],
  [1, 'transient', 'message'],
  [131047, 'permanent', 'recipient'],
  [470, 'permanent', 'recipient'],
  [131026, 'permanent', 'recipient'],
  [131051, 'permanent', 'message'],
  [131052, 'permanent', 'message'],
  [131053, 'permanent', 'message'],
  [132000, 'permanent', 'message'],
  [132001, 'permanent', 'message'],
  [132005, 'permanent', 'message'],
  [132007, 'permanent', 'message'],
  [132012, 'permanent', 'message'],
  [132068, 'permanent', 'message'],
  [132069, 'permanent', 'message'],
  [100, 'permanent', 'message'],
  [131008, 'permanent', 'message'],
  [131009, 'permanent', 'message'],
  [131021, 'permanent', 'recipient'],
  [131030, 'permanent', 'recipient'],
  [133010, 'permanent', 'number'],
  [33, 'permanent', 'number'],
  [131037, 'permanent', 'number'],
  [131045, 'permanent', 'number'],
  [131031, 'permanent', 'account'],
  [131042, 'permanent', 'account'],
  [135000, 'permanent', 'message'],
  [131048, 'policy', 'number'],
  [131049, 'policy', 'recipient'],
  [131050, 'policy', 'recipient'],
  [130472, 'policy', 'recipient'],
  [130497, 'policy', 'recipient'],
  [132015, 'policy', 'message'],
  [132016, 'policy', 'message'],
  [368, 'policy', 'account'],
  [190, 'auth', 'number'],
  [0, 'auth', 'number'],
  [10, 'auth', 'number'],
  [3, 'auth', 'number'],
  [131005, 'auth', 'number'],
]

describe('Graph error classification', () => {
  it.each(TAXONOMY)('classifies code %i as %s, scoped to the %s', (code, kind, scope) => {
    const info = classify(code)
    expect(info).toMatchObject({ kind, scope, code })
    expect(info.agentMessage.length).toBeGreaterThan(10)
  })

  it.each([200, 201, 250, 299])('classifies API permission code %i as auth', (code) => {
    expect(classify(code, 403)).toMatchObject({ kind: 'auth', scope: 'number', code })
  })

  it.each([132002, 132003, 132004, 132006, 132008, 132009, 132010, 132011])(
    'classifies template code %i as permanent',
    (code) => {
      expect(classify(code)).toMatchObject({ kind: 'permanent', scope: 'message' })
    },
  )

  it('lists every code of the taxonomy in the table the UI reads', () => {
    for (const [code, kind, scope] of TAXONOMY) expect(GRAPH_ERROR_CODES[code], String(code)).toMatchObject({ kind, scope })
  })

  it('branches on the code, not on the HTTP status Meta happened to send', () => {
    expect(classify(131047, 500).kind).toBe('permanent')
    expect(classify(130429, 400).kind).toBe('throttled')
    expect(classify(131016, 400).kind).toBe('transient')
  })

  it('tells the agent to send a template when the 24-hour window is closed', () => {
    expect(classify(131047).agentMessage).toBe("The customer's 24-hour window is closed; send a template instead.")
  })

  it('reads a real pair-rate-limit body: code, subcode, details, trace id and a retry hint', () => {
    expect(classifyGraphError({ httpStatus: 400, body: bodies.pairRateLimit })).toEqual({
      kind: 'throttled',
      code: 131056,
      subcode: 2494055,
      title: '(Business Account, Consumer Account) pair rate limit hit',
      details:
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      scope: 'recipient',
      retryAfterMs: 6_000,
      agentMessage: 'Too many messages went to this customer in a short time; this one will be retried in a few seconds.',
      fbtraceId: 'A4O5a8RAgePwbcGSu',
    })
  })

  it('asks for about a minute before retrying a number in maintenance', () => {
    expect(classify(131057).retryAfterMs).toBe(60_000)
  })

  it('shows Meta details to the agent where they explain what to fix', () => {
    const info = classifyGraphError({ httpStatus: 400, body: bodies.invalidParameter })
    expect(info.agentMessage).toBe(
      "Meta rejected part of this message. Meta says: Param text['body'] must be at most 4096 characters long.",
    )
    expect(info.title).toBe('Invalid parameter')
  })

  it('reads an unknown object (code 100, subcode 33) as a number that cannot be reached', () => {
    expect(classifyGraphError({ httpStatus: 400, body: bodies.phoneNumberNotFound })).toMatchObject({
      kind: 'permanent',
      scope: 'number',
      code: 100,
      subcode: 33,
    })
  })

  it('reads an invalid token as auth, using the code and not the 401', () => {
    expect(classifyGraphError({ httpStatus: 401, body: bodies.invalidToken })).toMatchObject({
      kind: 'auth',
      code: 190,
      fbtraceId: 'AbCdEf123',
    })
  })

  it('reads a webhook error object whose code is a string', () => {
    expect(classifyGraphError({ body: bodies.windowClosedWebhookError })).toMatchObject({
      kind: 'permanent',
      code: 131047,
      title: 'Re-engagement message',
      details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    })
  })

  it('reads an error body given as JSON text', () => {
    expect(classifyGraphError({ httpStatus: 400, body: JSON.stringify(graphBody(131026)) }).kind).toBe('permanent')
  })

  describe('a code missing from the table', () => {
    it('is transient behind a 5xx', () => {
      expect(classify(999_001, 502)).toMatchObject({ kind: 'transient', code: 999_001 })
    })

    it('is permanent behind a 4xx', () => {
      expect(classify(999_001, 400)).toMatchObject({ kind: 'permanent', code: 999_001 })
      expect(classify(999_001, 400).agentMessage).toContain('999001')
    })

    it('is transient with no HTTP status, as in a webhook', () => {
      expect(classifyGraphError({ body: graphBody(999_001) })).toMatchObject({ kind: 'transient', code: 999_001 })
    })

    it('is transient when Graph marks it is_transient', () => {
      expect(classifyGraphError({ httpStatus: 400, body: graphBody(999_001, { is_transient: true }) }).kind).toBe('transient')
    })

    it('is throttled behind a 429 and auth behind a 401', () => {
      expect(classify(999_001, 429).kind).toBe('throttled')
      expect(classify(999_001, 401).kind).toBe('auth')
    })
  })

  it('reads an HTML 502 from a proxy as transient', () => {
    expect(classifyGraphError({ httpStatus: 502, body: '<html>Bad gateway</html>' })).toMatchObject({
      kind: 'transient',
      code: null,
    })
  })

  it('reads a 404 without a body as permanent', () => {
    expect(classifyGraphError({ httpStatus: 404 })).toMatchObject({ kind: 'permanent', code: null })
  })

  it('reads a timeout as transient', () => {
    const cause = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    expect(classifyGraphError({ cause })).toMatchObject({ kind: 'transient', title: 'Timed out waiting for Meta', code: null })
  })

  it('reads a refused connection as transient, keeping the socket error as details', () => {
    const cause = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    })
    expect(classifyGraphError({ cause })).toMatchObject({
      kind: 'transient',
      title: 'Could not reach Meta',
      details: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9',
    })
  })

  it('reads nothing at all as transient', () => {
    expect(classifyGraphError({}).kind).toBe('transient')
  })
})

describe('GraphApiError', () => {
  it('carries the classification and the HTTP status', () => {
    const info = classify(131047)
    const error = new GraphApiError(info, 400)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('GraphApiError')
    expect(error.info).toBe(info)
    expect(error.httpStatus).toBe(400)
    expect(error.message).toBe(`Graph API permanent error 131047: ${info.title}`)
  })
})
