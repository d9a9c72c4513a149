import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/alerts/settings';
import { alertChannelSchema, alertSettingsSchema } from '@/lib/validation/alerts';

const fieldErrors = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

const channel = { kind: 'email', name: 'Admins', recipients: '', storeId: '', fallbackStoreId: '', url: '', signingSecret: '' };

describe('alert settings', () => {
  it('accepts the defaults and names the field that is out of range', () => {
    expect(alertSettingsSchema.safeParse({ ...DEFAULT_ALERT_SETTINGS, version: 0 }).success).toBe(true);
    expect(fieldErrors(alertSettingsSchema.safeParse({ ...DEFAULT_ALERT_SETTINGS, version: 0, repeatMinutes: 1 }))).toEqual({
      repeatMinutes: 'Repeat interval must be between 5 and 10080.',
    });
  });
  it('refuses an unused-token alert that comes before keep-alive would refresh', () => {
    const r = alertSettingsSchema.safeParse({ ...DEFAULT_ALERT_SETTINGS, version: 0, keepAliveDays: 14, tokenIdleDays: 10 });
    expect(fieldErrors(r).tokenIdleDays).toMatch(/more days than keep-alive waits \(14\)/);
    expect(
      alertSettingsSchema.safeParse({ ...DEFAULT_ALERT_SETTINGS, version: 0, keepAliveDays: 0, tokenIdleDays: 10 }).success,
    ).toBe(true);
  });
});

describe('alert channels', () => {
  it('an email channel needs addresses and a store, and a different fallback', () => {
    expect(Object.keys(fieldErrors(alertChannelSchema.safeParse(channel)))).toEqual(['recipients', 'storeId']);
    const same = alertChannelSchema.safeParse({ ...channel, recipients: 'a@example.com', storeId: 's1', fallbackStoreId: 's1' });
    expect(Object.keys(fieldErrors(same))).toEqual(['fallbackStoreId']);
    expect(fieldErrors(alertChannelSchema.safeParse({ ...channel, recipients: 'a@example.com; nope', storeId: 's1' }))).toEqual({
      recipients: '"nope" is not a valid email address.',
    });
  });
  it('a webhook needs an https URL, and the generic one a signing secret', () => {
    const hook = { ...channel, kind: 'webhook', url: 'http://hooks.example.com/x', signingSecret: 'short' };
    expect(fieldErrors(alertChannelSchema.safeParse(hook))).toEqual({ url: 'Webhook URL must be an https:// URL.' });
    expect(fieldErrors(alertChannelSchema.safeParse({ ...hook, url: 'https://hooks.example.com/x' }))).toEqual({
      signingSecret: expect.stringContaining('at least 16 characters') as unknown,
    });
    expect(fieldErrors(alertChannelSchema.safeParse({ ...hook, url: '' })).url).toBe('Paste the webhook URL (https://…).');
    const slack = { ...channel, kind: 'slack', url: 'https://hooks.slack.com/services/T/B/x' };
    expect(alertChannelSchema.safeParse(slack).success).toBe(true);
  });
});
