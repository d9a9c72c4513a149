/** Token columns of a profile as they are with no connection (disconnect, settings changed). */
export const CLEARED_TOKENS = {
  refreshTokenEnc: null,
  refreshTokenIssuedAt: null,
  accessTokenEnc: null,
  accessTokenExpiresAt: null,
  oauthAccount: '',
  oauthScopes: '',
  oauthConnectedAt: null,
  oauthLastRefreshAt: null,
  oauthError: '',
  oauthErrorCode: '',
  tokenRefreshUntil: null,
} as const;
