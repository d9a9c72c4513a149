import { describe, expect, it } from 'vitest';
import { attentionFor, type StoreHealth } from '@/lib/overview/attention';

const NOW = new Date('2026-11-23T12:00:00Z');
const healthy: StoreHealth = {
  storeId: 's1',
  storeName: 'Contoso',
  transport: 'smtp',
  host: 'smtp.office365.com',
  fromAddress: 'helpdesk@contoso.example',
  useAuth: true,
  authType: 'basic',
  credentialType: 'secret',
  oauthStatus: 'not_connected',
  oauthErrorCode: '',
  clientSecretExpiresAt: null,
  lastDelivery: { ok: true, kind: 'test', failedStep: '', replyCode: 250, replyText: 'OK', createdAt: NOW },
};
const titles = (s: Partial<StoreHealth>) => attentionFor({ ...healthy, ...s }, NOW).map((i) => `${i.severity}: ${i.title}`);
const oauth = { authType: 'oauth2', oauthStatus: 'connected' };

describe('attentionFor', () => {
  it('a configured store whose last send went through needs nothing', () => {
    expect(titles({})).toEqual([]);
    expect(titles({ lastDelivery: null })).toEqual([]);
  });

  it('a store without server or From address is "not set up" and nothing else is checked', () => {
    expect(titles({ host: '' })).toEqual(['warning: Not set up yet']);
    expect(titles({ fromAddress: '', lastDelivery: { ...healthy.lastDelivery!, ok: false } })).toEqual([
      'warning: Not set up yet',
    ]);
    expect(titles({ transport: 'graph', host: '', ...oauth })).toEqual([]);
  });

  it('OAuth: reconnect, not connected, and the client secret from 30 days before it expires', () => {
    expect(titles({ ...oauth, oauthStatus: 'needs_reconnect', oauthErrorCode: 'AADSTS70008' })).toEqual([
      'error: OAuth needs reconnecting',
    ]);
    expect(
      attentionFor({ ...healthy, ...oauth, oauthStatus: 'needs_reconnect', oauthErrorCode: 'AADSTS70008' }, NOW)[0].detail,
    ).toMatch(/^AADSTS70008: /);
    expect(titles({ ...oauth, oauthStatus: 'not_connected' })).toEqual(['warning: OAuth not connected']);
    expect(titles({ ...oauth, clientSecretExpiresAt: new Date('2026-12-25T00:00:00Z') })).toEqual([]);
    expect(titles({ ...oauth, clientSecretExpiresAt: new Date('2026-12-24T00:00:00Z') })).toEqual([
      'warning: Client secret expires in 30 days',
    ]);
    expect(titles({ ...oauth, clientSecretExpiresAt: new Date('2026-12-22T12:00:00Z') })).toEqual([
      'warning: Client secret expires in 29 days',
    ]);
    expect(titles({ ...oauth, clientSecretExpiresAt: new Date('2026-11-24T12:00:00Z') })).toEqual([
      'warning: Client secret expires in 1 day',
    ]);
    expect(titles({ ...oauth, clientSecretExpiresAt: new Date('2026-11-01T00:00:00Z') })).toEqual([
      'error: Client secret expired',
    ]);
    expect(titles({ ...oauth, credentialType: 'certificate', clientSecretExpiresAt: new Date('2026-11-01T00:00:00Z') })).toEqual(
      [],
    );
    // OAuth settings of a Basic profile do not matter.
    expect(titles({ oauthStatus: 'needs_reconnect' })).toEqual([]);
  });

  it('a failed last send names the step and the reply, and links to the delivery log', () => {
    const failed = {
      ok: false,
      kind: 'notification',
      failedStep: 'auth',
      replyCode: 535,
      replyText: '5.7.3 Authentication unsuccessful',
      createdAt: NOW,
    };
    const [item] = attentionFor({ ...healthy, lastDelivery: failed }, NOW);
    expect(item).toEqual({
      storeId: 's1',
      storeName: 'Contoso',
      severity: 'error',
      title: 'Last notification failed at Authenticate',
      detail: '535 5.7.3 Authentication unsuccessful',
      href: '/stores/s1/delivery-log',
    });
  });
});
