import { describe, expect, it } from 'vitest';
import { describeAddress, describeEvent } from '@/components/activity/describe-event';

describe('activity in sentences', () => {
  it('a save names the store, the fields in words, and why a secret was cleared', () => {
    const s = describeEvent({
      action: 'notifications.save',
      target: 'Contoso AD',
      details: { changed: ['port', 'securityMode'], secrets: ['smtpPassword cleared_destination_changed'], version: 3 },
    });
    expect(s).toBe(
      'Saved the notification settings of Contoso AD: changed the port and security mode; the SMTP password cleared because the server it was for changed.',
    );
    expect(s).not.toMatch(/_|version/);
  });

  it('a test names the recipient and the failed step as the dialog does', () => {
    expect(
      describeEvent({
        action: 'notifications.test',
        target: 'Contoso AD',
        details: { recipient: 'ops@contoso.example', result: 'failed at auth', reply: '535 5.7.3', ms: 120 },
      }),
    ).toBe('Sent a test email through Contoso AD to ops@contoso.example: failed at Authenticate (535 5.7.3).');
  });

  it('OAuth outcomes, and other events with their details in words', () => {
    expect(
      describeEvent({ action: 'oauth.connect', target: 'Generic IdP', details: { result: 'failed', error: 'AADSTS65004' } }),
    ).toBe('The OAuth 2.0 sign-in for Generic IdP did not complete (AADSTS65004).');
    expect(describeEvent({ action: 'store.delete', target: 'Old', details: { secretsRemoved: true } })).toBe(
      'Deleted an identity store: Old (secrets removed: yes).',
    );
  });

  it('a loopback address reads "this server"', () => {
    expect(describeAddress('::1')).toBe('this server');
    expect(describeAddress('127.0.0.1')).toBe('this server');
    expect(describeAddress('192.0.2.10')).toBe('192.0.2.10');
  });
});
