'use client';

import type { ComponentProps } from 'react';
import { DeliveryLimitsForm } from '@/components/notifications/delivery-limits-form';
import { NotificationsForm } from '@/components/notifications/notifications-form';

export type NotificationsFormsProps = {
  form: ComponentProps<typeof NotificationsForm>;
  limits: ComponentProps<typeof DeliveryLimitsForm>;
};

/** The store's Notifications page: its settings, and the outbox's limits saved on their own. */
export function NotificationsForms({ form, limits }: NotificationsFormsProps) {
  return (
    <div className="space-y-5">
      <NotificationsForm {...form} />
      <DeliveryLimitsForm {...limits} />
    </div>
  );
}
