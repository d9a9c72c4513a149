/** The alert settings row (one, id "default"), with the defaults until an admin saves it. */
import { db } from '@/lib/db';

export const ALERT_SETTINGS_ID = 'default';

export const DEFAULT_ALERT_SETTINGS = {
  enabled: true,
  repeatMinutes: 240,
  keepAliveDays: 14,
  tokenIdleDays: 30,
  failedInRow: 3,
  failureRatePercent: 50,
  failureWindowMinutes: 60,
  backlogCount: 100,
  oldestQueuedMinutes: 30,
};

export type AlertSettingsValues = typeof DEFAULT_ALERT_SETTINGS;

export async function getAlertSettings(): Promise<AlertSettingsValues & { version: number }> {
  const row = await db.alertSettings.findUnique({
    where: { id: ALERT_SETTINGS_ID },
    select: {
      version: true,
      ...(Object.fromEntries(Object.keys(DEFAULT_ALERT_SETTINGS).map((k) => [k, true])) as Record<
        keyof AlertSettingsValues,
        true
      >),
    },
  });
  return row ?? { ...DEFAULT_ALERT_SETTINGS, version: 0 };
}
