/** The outbox's vocabulary, shared by enqueue, the worker, the Queue page and the send API. */

export const OUTBOX_STATES = ['queued', 'sending', 'retrying', 'sent', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
/** States a message can still leave by itself. */
export const PENDING_STATES: readonly OutboxState[] = ['queued', 'sending', 'retrying'];
export const FINAL_STATES: readonly OutboxState[] = ['sent', 'failed', 'cancelled'];

export type OutboxKind = 'notification' | 'relay' | 'alert';

export const STATE_LABELS: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  retrying: 'Retrying',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const KIND_LABELS: Record<OutboxKind, string> = { notification: 'Notification', relay: 'Relay', alert: 'Alert' };

/** What an attempt came to: sent, retry later, give up, or hold the store's queue until it is reconnected. */
export type AttemptOutcome = 'sent' | 'temporary' | 'permanent' | 'paused' | 'interrupted';

/** The message content as stored (encrypted): composed fields, or raw MIME as the relay received it. */
export type StoredBody = { text: string; html?: string } | { raw: string };

export type AdviceRecord = { id: string; title: string; detail: string; docs?: string };
