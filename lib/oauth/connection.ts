import { openSecret, sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { logger } from '@/lib/log';
import { countTokenRefresh } from '@/lib/metrics';
import { SendError } from '@/lib/mail/types';
import { adviseOAuth } from '@/lib/oauth/advice';
import { clientCredentialsToken, passwordToken, refreshTokens } from '@/lib/oauth/client';
import { CLEARED_TOKENS } from '@/lib/oauth/cleared';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { OAuthError, type TokenSet } from '@/lib/oauth/types';
import { wakeWorkers } from '@/lib/outbox/signals';

/** An access token is used until this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;
/** After the token endpoint failed (5xx, network), callers fail fast for this long. */
const BACKOFF_MS = 30_000;
/** How long a caller waits for another process's refresh before giving up. */
const WAIT_FOR_OTHER_MS = 15_000;
/** A refresh not finished within this long (its process died) may be taken over. */
const REFRESH_LEASE_MS = 30_000;

export class TokenUnavailable extends SendError {
  constructor(
    code: string,
    message: string,
    readonly advice: { id: string; title: string; detail: string },
  ) {
    super(code, message, 'token');
  }
}

const TOKEN_SELECT = {
  id: true,
  oauthStatus: true,
  grantType: true,
  tokenVersion: true,
  tokenRefreshUntil: true,
  refreshTokenEnc: true,
  accessTokenEnc: true,
  accessTokenExpiresAt: true,
  oauthAccount: true,
} as const;

const read = (profileId: string) => db.notificationProfile.findUniqueOrThrow({ where: { id: profileId }, select: TOKEN_SELECT });
type Row = Awaited<ReturnType<typeof read>>;

const fresh = (row: Row) =>
  row.accessTokenEnc && row.accessTokenExpiresAt && row.accessTokenExpiresAt.getTime() - EXPIRY_MARGIN_MS > Date.now();

/** Columns written for a new token set; the refresh token only when the server sent one (rotation). */
function tokenColumns(profileId: string, t: TokenSet) {
  const now = new Date();
  return {
    accessTokenEnc: sealSecret(profileId, 'accessToken', t.accessToken),
    accessTokenExpiresAt: t.expiresAt,
    ...(t.refreshToken
      ? { refreshTokenEnc: sealSecret(profileId, 'refreshToken', t.refreshToken), refreshTokenIssuedAt: now }
      : {}),
    oauthScopes: t.scope,
    oauthLastRefreshAt: now,
    oauthStatus: 'connected',
    oauthError: '',
    oauthErrorCode: '',
    tokenRefreshUntil: null,
  };
}

/** Stores the tokens of a new connection (consent, client credentials or password grant). */
export async function saveConnection(profileId: string, t: TokenSet, account: string, loginUser?: string): Promise<void> {
  await db.notificationProfile.update({
    where: { id: profileId },
    data: {
      ...tokenColumns(profileId, t),
      oauthAccount: account,
      oauthConnectedAt: new Date(),
      tokenVersion: { increment: 1 },
      ...(loginUser ? { oauthLoginUser: loginUser } : {}),
    },
  });
  backoff.delete(profileId);
  // A store whose queue was held for a reconnect may send again.
  wakeWorkers();
}

export async function disconnect(profileId: string): Promise<void> {
  await db.notificationProfile.update({
    where: { id: profileId },
    data: { ...CLEARED_TOKENS, oauthStatus: 'not_connected', tokenVersion: { increment: 1 } },
  });
}

async function markFailed(profileId: string, status: 'needs_reconnect' | 'connected', err: OAuthError) {
  await db.notificationProfile.update({
    where: { id: profileId },
    data: {
      oauthStatus: status,
      oauthErrorCode: err.aadsts ?? err.code,
      oauthError: adviseOAuth(err).title,
      tokenRefreshUntil: null,
    },
  });
}

const backoff = new Map<string, { until: number; err: OAuthError }>();
const inflight = new Map<string, Promise<string>>();

/**
 * A valid access token for the profile: the cached one while it lasts, otherwise exactly one
 * refresh per profile (in this process: shared promise; across processes: version claim).
 * A rotated refresh token is stored in the same write as the new access token.
 */
export function getAccessToken(profileId: string, opts: { force?: boolean } = {}): Promise<string> {
  const running = inflight.get(profileId);
  if (running) return running;
  const p = obtain(profileId, opts.force ?? false).finally(() => inflight.delete(profileId));
  inflight.set(profileId, p);
  return p;
}

async function obtain(profileId: string, force: boolean): Promise<string> {
  const row = await read(profileId);
  if (!force && fresh(row)) return openSecret(profileId, 'accessToken', row.accessTokenEnc!);
  if (row.oauthStatus === 'not_connected') {
    throw new TokenUnavailable('EOAUTH_NOT_CONNECTED', 'OAuth 2.0 is not connected for this profile yet.', {
      id: 'oauth-not-connected',
      title: 'OAuth 2.0 is not connected yet',
      detail: 'Click Connect in the OAuth 2.0 section, then test again.',
    });
  }
  if (row.oauthStatus === 'needs_reconnect') {
    throw new TokenUnavailable('EOAUTH_RECONNECT', 'The OAuth connection needs to be renewed: click Reconnect.', {
      id: 'oauth-needs-reconnect',
      title: 'Reconnect needed',
      detail:
        'The stored grant is no longer valid (expired, revoked, or the settings changed). Click Reconnect and sign in again.',
    });
  }
  const blocked = backoff.get(profileId);
  if (blocked && blocked.until > Date.now()) throw unavailable(blocked.err);

  // Another process is asking the provider right now: its token is the one to use.
  if (refreshing(row)) return waitForOther(profileId);
  // Claim the refresh: only the caller that moves the version from v to v+1 talks to the provider,
  // and the lease tells the processes reading the row after that to wait rather than claim again.
  const claim = await db.notificationProfile.updateMany({
    where: { id: profileId, tokenVersion: row.tokenVersion },
    data: { tokenVersion: row.tokenVersion + 1, tokenRefreshUntil: new Date(Date.now() + REFRESH_LEASE_MS) },
  });
  if (claim.count !== 1) return waitForOther(profileId);
  const version = row.tokenVersion + 1;
  const release = () =>
    db.notificationProfile.updateMany({ where: { id: profileId, tokenVersion: version }, data: { tokenRefreshUntil: null } });

  let tokens: TokenSet;
  try {
    tokens = await requestTokens(profileId, row);
    countTokenRefresh('ok');
  } catch (err) {
    countTokenRefresh('failed');
    if (!(err instanceof OAuthError)) {
      await release();
      throw err;
    }
    if (err.code === 'invalid_grant') {
      // Another process may have rotated the refresh token between our read and our request.
      const again = await read(profileId);
      if (again.refreshTokenEnc && again.refreshTokenEnc !== row.refreshTokenEnc) {
        await release();
        return obtain(profileId, false);
      }
      await markFailed(profileId, 'needs_reconnect', err);
    } else if (err.retryable) {
      backoff.set(profileId, { until: Date.now() + BACKOFF_MS, err });
      await markFailed(profileId, 'connected', err);
    } else {
      await markFailed(profileId, 'needs_reconnect', err);
    }
    logger.warn({ profileId, code: err.code, aadsts: err.aadsts }, 'OAuth token request failed');
    throw unavailable(err);
  }
  await db.notificationProfile.updateMany({
    where: { id: profileId, tokenVersion: version },
    data: { ...tokenColumns(profileId, tokens), tokenVersion: version + 1 },
  });
  backoff.delete(profileId);
  return tokens.accessToken;
}

async function requestTokens(profileId: string, row: Row): Promise<TokenSet> {
  const p = await loadProfileOAuth({ profileId });
  if (p.grantType === 'client_credentials') return clientCredentialsToken(p.config);
  if (row.refreshTokenEnc) return refreshTokens(p.config, openSecret(profileId, 'refreshToken', row.refreshTokenEnc));
  if (p.grantType === 'password' && p.password) return passwordToken(p.config, { username: p.username, password: p.password });
  throw new OAuthError('invalid_grant', 'No refresh token is stored for this profile.');
}

const refreshing = (row: Row) => !!row.tokenRefreshUntil && row.tokenRefreshUntil.getTime() > Date.now();

async function waitForOther(profileId: string): Promise<string> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const row = await read(profileId);
    if (fresh(row)) return openSecret(profileId, 'accessToken', row.accessTokenEnc!);
    // It failed (the error is on the row) or its process died with the lease: try ourselves.
    if (row.oauthStatus !== 'connected' || !refreshing(row)) return obtain(profileId, false);
  }
  throw new SendError(
    'ETOKEN',
    'Another Mailroom process is refreshing this profile’s token and has not finished. Try again.',
    'token',
  );
}

function unavailable(err: OAuthError): TokenUnavailable {
  const advice = adviseOAuth(err);
  const code = err.aadsts ?? err.code;
  return new TokenUnavailable('ETOKEN', `The token endpoint refused to issue an access token (${code}): ${advice.title}`, advice);
}

/**
 * A failed consent or connect attempt: the reason is recorded for the connection card, and an
 * existing connection (tokens, status) is left as it was.
 */
export async function recordConnectFailure(profileId: string, err: OAuthError): Promise<void> {
  const description = err.description.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 500);
  await db.notificationProfile.update({
    where: { id: profileId },
    data: {
      oauthErrorCode: err.aadsts ?? /AADSTS\d+/.exec(description)?.[0] ?? err.code,
      oauthError: description || adviseOAuth(err).title,
    },
  });
}
