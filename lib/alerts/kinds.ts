/** The kinds of alert channel, shared by the form (browser) and the sending code. */
export const CHANNEL_KINDS = ['email', 'webhook', 'teams', 'slack'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_LABELS: Record<ChannelKind, string> = {
  email: 'Email',
  webhook: 'Webhook (JSON, signed)',
  teams: 'Microsoft Teams (Workflows)',
  slack: 'Slack (incoming webhook)',
};
