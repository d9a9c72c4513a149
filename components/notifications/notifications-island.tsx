'use client';

import { hydrateOnUse } from '@/components/ui/hydrate-on-use';

/**
 * The Notifications page's forms, shown from the server's HTML at once; their code (the forms and
 * react-hook-form) loads when the admin first points at, touches or tabs into them.
 */
export const NotificationsForms = hydrateOnUse(() =>
  import('@/components/notifications/notifications-forms').then((m) => m.NotificationsForms),
);
