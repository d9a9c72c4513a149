'use client';

import { useState, useTransition } from 'react';
import { changeUserRole, removeUser } from '@/app/(console)/users/actions';
import { Button } from '@/components/ui/button';
import type { Role } from '@/lib/auth/roles';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';
import { ResetPasswordForm } from '@/components/users/reset-password-form';
import { formatUtc } from '@/lib/format';

type Props = {
  user: { id: string; email: string; name: string; role: string; lastLoginAt: Date | null };
  isSelf: boolean;
};

export function UserRow({ user, isSelf }: Props) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [resetting, setResetting] = useState(false);
  const other: Role = user.role === 'admin' ? 'viewer' : 'admin';

  const run = (fn: () => Promise<ActionResult>) =>
    start(async () => {
      const res = await callAction(fn);
      setMessage(res.ok ? undefined : { ok: false, text: res.message });
    });

  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3">
      <div>
        <p className="font-medium">
          {user.email} {isSelf ? <span className="text-xs text-slate-500">(you)</span> : null}
        </p>
        <p className="text-xs text-slate-500">
          {user.name ? `${user.name} · ` : ''}
          {user.role} · {user.lastLoginAt ? `last sign-in ${formatUtc(user.lastLoginAt)}` : 'never signed in'}
        </p>
        {message ? (
          <p
            role={message.ok ? 'status' : 'alert'}
            className={`mt-1 text-xs ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-600'}`}
          >
            {message.text}
          </p>
        ) : null}
      </div>
      {isSelf ? null : (
        <div className="flex gap-2">
          <Button variant="secondary" disabled={pending} aria-expanded={resetting} onClick={() => setResetting((r) => !r)}>
            Reset password
          </Button>
          <Button variant="secondary" disabled={pending} onClick={() => run(() => changeUserRole({ id: user.id, role: other }))}>
            Make {other}
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() => {
              if (window.confirm(`Delete ${user.email}? They will no longer be able to sign in.`))
                run(() => removeUser({ id: user.id }));
            }}
          >
            Delete
          </Button>
        </div>
      )}
      {resetting ? (
        <ResetPasswordForm
          userId={user.id}
          email={user.email}
          onDone={(r) => {
            setMessage({ ok: r.ok, text: r.message });
            if (r.ok) setResetting(false);
          }}
        />
      ) : null}
    </li>
  );
}
