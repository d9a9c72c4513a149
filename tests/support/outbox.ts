/** The outbox worker inside the test process, with retries a test can wait for (0.2 s, 0.6 s, …). */
import { saveNotificationSettings } from '@/lib/notifications/service';
import { clientCredentialsToken } from '@/lib/oauth/client';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { saveConnection } from '@/lib/oauth/connection';
import { DEFAULT_RETRY } from '@/lib/outbox/retry';
import { startBackground, type Background } from '@/lib/runtime/background';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { startGraphServer, type GraphTestServer } from '@/tests/support/graph-server';
import { MS_CLIENT, notificationsInput } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { httpsPorts } from '@/tests/support/allow-https';
import { trustTestCa } from '@/tests/support/trust-test-ca';

export async function startTestWorker(retryBaseSeconds = 0.2): Promise<Background> {
  return startBackground({
    periodic: false,
    worker: { pollMs: 100, retry: { ...DEFAULT_RETRY, baseSeconds: retryBaseSeconds, jitter: 0 } },
  });
}

/**
 * A store that sends through the Graph stand-in with an app-only (client credentials) token from
 * the local OAuth server, connected: ready for the outbox.
 */
export async function connectedGraphStore(
  name: string,
  o: { oauth: OAuthTestServer; graph: GraphTestServer; from: string; secret: string; actor: string },
): Promise<string> {
  const store = await createStore({ name, type: 'entra_id' }, o.actor);
  const e = o.oauth.entra('contoso.onmicrosoft.com');
  const values = notificationsInput({
    transport: { kind: 'graph', graphEndpoint: o.graph.url, graphSender: o.from },
    smtp: { fromAddress: o.from },
    auth: {
      useAuth: true,
      authType: 'oauth2',
      oauth: {
        provider: 'microsoft',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: MS_CLIENT,
        clientSecret: { mode: 'set', value: o.secret },
        grantType: 'client_credentials',
        authorizationEndpoint: e.authorizationEndpoint,
        tokenEndpoint: e.tokenEndpoint,
        scope: 'https://graph.microsoft.com/.default',
        loginUser: o.from,
      },
    },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), o.actor);
  const p = await loadProfileOAuth({ storeId: store.id });
  await saveConnection(p.profileId, await clientCredentialsToken(p.config), o.from);
  return store.id;
}

/**
 * The local OAuth server (client MS_CLIENT with `secret`) and the Graph stand-in accepting its
 * app-only tokens, both trusted and allowed (HTTP_ALLOWED_PORTS; call resetEnvCache after).
 */
export async function startAppOnlyGraph(
  secret: string,
): Promise<{ oauth: OAuthTestServer; graph: GraphTestServer; close: () => Promise<void> }> {
  const oauth = await startOAuthServer({ clients: { [MS_CLIENT]: { secret } } });
  const graph = await startGraphServer({
    validate: (token) =>
      oauth.issuedFor(token) ? { ok: true, appOnly: true, scope: 'https://graph.microsoft.com/.default' } : { ok: false },
  });
  const untrust = trustTestCa(oauth.caPem, graph.caPem);
  process.env.HTTP_ALLOWED_PORTS = httpsPorts(oauth.origin, graph.url);
  return {
    oauth,
    graph,
    close: async () => {
      untrust();
      await Promise.all([graph.close(), oauth.close()]);
    },
  };
}
