'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeStoreName, removeStore } from '@/app/(console)/stores/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { callAction } from '@/lib/call-action';

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string[] | undefined> };

export function StoreGeneralForms({ store }: { store: { id: string; name: string } }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [name, setName] = useState(store.name);
  const [confirmName, setConfirmName] = useState('');
  const [rename, setRename] = useState<Result>();
  const [del, setDel] = useState<Result>();

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Rename">
        <form
          method="post"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => {
              const res = await callAction(() => changeStoreName({ id: store.id, name }));
              setRename(res);
              if (res.ok) router.refresh();
            });
          }}
        >
          {rename?.ok ? <Alert tone="success">{rename.message}</Alert> : null}
          <Field
            id="rename-name"
            label="Name"
            error={rename?.ok ? undefined : (rename?.fieldErrors?.name?.[0] ?? rename?.message)}
          >
            <Input id="rename-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="rename-name-error" />
          </Field>
          <Button type="submit" disabled={pending || name.trim() === store.name}>
            Rename
          </Button>
        </form>
      </Card>
      <Card
        title="Delete identity store"
        description="Removes its notification settings and every stored secret and token. This cannot be undone."
      >
        <form
          method="post"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => {
              const res = await callAction(() => removeStore({ id: store.id, confirmName }));
              setDel(res);
              if (res.ok) router.push('/stores');
            });
          }}
        >
          <Field
            id="confirm-name"
            label={`Type “${store.name}” to confirm`}
            error={del?.ok ? undefined : (del?.fieldErrors?.confirmName?.[0] ?? del?.message)}
          >
            <Input
              id="confirm-name"
              value={confirmName}
              onChange={(e) => setConfirmName(e.target.value)}
              autoComplete="off"
              aria-describedby="confirm-name-error"
            />
          </Field>
          <Button type="submit" variant="danger" disabled={pending || confirmName.trim() !== store.name}>
            Delete identity store
          </Button>
        </form>
      </Card>
    </div>
  );
}
