import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateStoreForm } from '@/components/stores/create-store-form';
import { Alert } from '@/components/ui/alert';
import { STATE_ERRORS } from '@/lib/oauth/state';
import { Card, PageHeader } from '@/components/ui/card';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listStores } from '@/lib/stores/queries';
import { STORE_TYPE_LABELS, STORE_TYPES } from '@/lib/validation/store';

export const metadata: Metadata = { title: 'Identity Stores' };

const typeLabel = (t: string) => {
  const known = STORE_TYPES.find((k) => k === t);
  return known ? STORE_TYPE_LABELS[known] : t;
};

const OAUTH_MESSAGES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(STATE_ERRORS).map(([k, v]) => [`state_${k}`, v])),
  state_browser: 'The sign-in answer arrived in a different browser than the one that clicked Connect. Start again with Connect.',
  forbidden: 'Only admins can connect OAuth.',
};

export default async function StoresPage(props: { searchParams: Promise<{ oauth?: string }> }) {
  const user = await requireUser();
  const stores = await listStores();
  const { oauth } = await props.searchParams;
  const oauthMessage = oauth ? OAUTH_MESSAGES[oauth] : undefined;
  return (
    <>
      <PageHeader
        title="Identity Stores"
        description="Each identity store has its own notification settings: SMTP server, authentication and recipients."
      />
      {oauthMessage ? (
        <div className="mb-6">
          <Alert tone="error" title="OAuth sign-in refused">
            {oauthMessage}
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Card>
          {stores.length === 0 ? (
            <EmptyState>
              No identity stores yet.{canChangeSettings(user) ? ' Create one to configure its notifications.' : ''}
            </EmptyState>
          ) : (
            <Table columns={['Name', 'Type', 'SMTP server', 'Authentication']}>
              {stores.map((s) => (
                <tr key={s.id}>
                  <Cell>
                    <Link
                      href={`/stores/${s.id}/notifications`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {s.name}
                    </Link>
                  </Cell>
                  <Cell>{typeLabel(s.type)}</Cell>
                  <Cell className="font-mono text-xs">
                    {s.profile?.host ? (
                      `${s.profile.host}:${s.profile.port}`
                    ) : (
                      <span className="font-sans text-slate-400">not configured</span>
                    )}
                  </Cell>
                  <Cell>{!s.profile?.useAuth ? 'None' : s.profile.authType === 'oauth2' ? 'OAuth 2.0' : 'Basic'}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        {canChangeSettings(user) ? (
          <Card title="New identity store">
            <CreateStoreForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
