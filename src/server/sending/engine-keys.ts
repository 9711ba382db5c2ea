// Store keys of the send engine's shared state, one place so workers, stats and tests agree.
export const throughputKey = (phoneNumberId: string) => `mps:${phoneNumberId}`
export const breakerKey = (phoneNumberId: string) => `breaker:${phoneNumberId}`
export const pairKey = (phoneNumberId: string, waId: string) => `pair:${phoneNumberId}:${waId}`
export const portfolioKey = (portfolio: string) => `portfolio:${portfolio}`
