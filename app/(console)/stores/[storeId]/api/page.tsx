import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiKeyTable } from '@/components/api-keys/api-key-table';
import { CreateApiKeyForm } from '@/components/api-keys/create-api-key-form';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { curlExample, KEY_PLACEHOLDER } from '@/lib/api-keys/curl';
import { listApiKeys } from '@/lib/api-keys/queries';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { MAX_RECIPIENTS } from '@/lib/mail/types';
import { getAttention } from '@/lib/overview/queries';
import { MAX_TEXT_BYTES } from '@/lib/validation/send';

export const metadata: Metadata = { title: 'API access' };

const REPLIES: [string, string][] = [
  [
    '202',
    'Queued: id, messageId and statusUrl (also in Location). GET the status URL with the same key for the state and each attempt.',
  ],
  ['200', 'With Prefer: wait=N (up to 60 s): sent within N seconds. messageId, queueId, and any recipients it refused.'],
  [
    '502',
    'With Prefer: wait=N: failed for good within N seconds; error.step, error.reply and error.advice say where and what to do.',
  ],
  ['400', 'The body is not valid: error.fields names each bad field.'],
  ['401', 'The key is missing, unknown or revoked.'],
  ['413', 'The body is larger than 1 MiB.'],
  [
    '409',
    'The store’s settings are not ready (no SMTP server or From address, a password not set, no recipients), or the same Idempotency-Key is still being queued.',
  ],
  ['422', 'The Idempotency-Key was already used for a different message.'],
  ['429', 'Too many notifications from this key; wait for the seconds in Retry-After.'],
  ['503', 'Mailroom’s database is not answering.'],
];

export default async function ApiAccessPage(props: { params: Promise<{ storeId: string }> }) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const [keys, attention] = await Promise.all([listApiKeys(storeId), getAttention(storeId)]);
  const canEdit = canChangeSettings(user);
  const endpoint = `${getEnv().APP_URL}/api/v1/notifications`;
  return (
    <div className="space-y-6">
      {attention.length ? (
        <Alert tone="warning" title="Notifications sent with these keys will fail until this is fixed">
          <ul className="list-disc pl-5">
            {attention.map((i) => (
              <li key={i.title}>
                <Link href={i.href} className="underline">
                  {i.title}
                </Link>
                : {i.detail}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Card
        title="API keys"
        description="Other systems — the helpdesk, the directory manager — send their notifications through this store’s saved settings with a key."
      >
        <div className="space-y-5">
          {canEdit ? (
            <CreateApiKeyForm storeId={storeId} endpoint={endpoint} />
          ) : (
            <p className="text-sm text-slate-500">Only admins can create or revoke keys.</p>
          )}
          <ApiKeyTable storeId={storeId} keys={keys} canEdit={canEdit} />
        </div>
      </Card>
      <Card
        title="Sending a notification"
        description="One request per message; it goes out through the Notifications tab’s server, security and authentication."
      >
        <div className="space-y-3 text-sm">
          <p>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">POST {endpoint}</code> with
            <code className="mx-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">Authorization: Bearer mr_…</code>
            and a JSON body:
          </p>
          <ul className="list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
            <li>
              <b>subject</b> and <b>text</b> (plain text, up to {MAX_TEXT_BYTES / 1024} KiB); optionally <b>html</b>, sent
              alongside the text;
            </li>
            <li>
              <b>to</b> and <b>cc</b>: arrays of addresses (or one string separated by “;”), at most {MAX_RECIPIENTS} in all.
              Without <b>to</b>, the message goes to the store’s To and CC recipients.
            </li>
          </ul>
          <dl className="grid grid-cols-[4rem_1fr] gap-x-3 gap-y-1">
            {REPLIES.map(([code, text]) => (
              <div key={code} className="contents">
                <dt className="font-mono text-xs leading-5">{code}</dt>
                <dd className="text-slate-700 dark:text-slate-300">{text}</dd>
              </div>
            ))}
          </dl>
          <p>
            Retrying? Send an{' '}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">Idempotency-Key</code> header (a UUID
            per message): a retry of a message that was queued gets that message’s current state instead of a second email, for 24
            hours.
          </p>
          <p className="text-slate-500">
            A temporary refusal is retried by Mailroom; every notification is on the Queue tab while it waits, and in the Delivery
            log once it is sent or failed.
          </p>
          <p>
            For example, with the key in place of{' '}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{KEY_PLACEHOLDER}</code>:
          </p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid="curl-example">
            {curlExample(endpoint)}
          </pre>
        </div>
      </Card>
    </div>
  );
}
