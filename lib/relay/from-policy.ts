/** What the relay does with a sender other than the store's From address; shared by the browser and the server, no Zod here. */
export const FROM_POLICIES = ['refuse', 'rewrite'] as const;
export type FromPolicy = (typeof FROM_POLICIES)[number];
export const FROM_POLICY_LABELS: Record<FromPolicy, string> = {
  refuse: 'Refuse other senders (550 5.7.1)',
  rewrite: 'Rewrite to the store’s From address, original in Reply-To',
};
