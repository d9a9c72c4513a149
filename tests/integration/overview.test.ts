import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { getOverview } from '@/lib/overview/queries';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';

const HOUR = 3_600_000;
const delivery = (storeId: string, ok: boolean, hoursAgo: number, failedStep = '') =>
  db.deliveryLog.create({
    data: {
      storeId,
      recipient: 'a@example.org',
      ok,
      failedStep,
      durationMs: 100,
      createdAt: new Date(Date.now() - hoursAgo * HOUR),
    },
  });

describe('getOverview', () => {
  it('counts the last 24 hours and judges each store by its newest send', async () => {
    const recovered = await createStore({ name: 'Recovered', type: 'other' }, 'ann@example.com');
    const broken = await createStore({ name: 'Broken', type: 'other' }, 'ann@example.com');
    await createStore({ name: 'Empty', type: 'other' }, 'ann@example.com');
    for (const s of [recovered, broken]) {
      await saveNotificationSettings(
        s.id,
        notificationsSchema.parse(notificationsInput({ auth: { useAuth: false } })),
        'ann@example.com',
      );
    }
    await delivery(recovered.id, false, 2, 'auth');
    await delivery(recovered.id, true, 1);
    await delivery(broken.id, true, 30);
    await delivery(broken.id, false, 0.5, 'rcpt_to');

    const o = await getOverview();
    expect({ sent: o.sent, failed: o.failed, stores: o.stores }).toEqual({ sent: 1, failed: 2, stores: 3 });
    expect(o.attention.map((i) => `${i.storeName}: ${i.title}`)).toEqual([
      'Broken: Last test failed at RCPT TO',
      'Empty: Not set up yet',
    ]);
  });
});
