'use client';

import { resetUserPassword } from '@/app/(console)/users/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm, type FormOutcome } from '@/components/forms/use-action-form';
import { Button } from '@/components/ui/button';

/** An admin sets a new password for someone else (who lost theirs); their sessions end. */
export function ResetPasswordForm({
  userId,
  email,
  onDone,
}: {
  userId: string;
  email: string;
  onDone: (result: FormOutcome) => void;
}) {
  const { form, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/user').then((m) => m.resetUserPasswordSchema),
    defaultValues: { id: userId, password: '', confirmPassword: '' },
    // Field errors stay under the fields; anything else is the row's message.
    action: async (values) => {
      const res = await resetUserPassword(values);
      if (!res.ok && !res.fieldErrors) onDone({ ok: false, message: res.message });
      return res;
    },
    onSuccess: (res) => onDone({ ok: true, message: res.message ?? 'Password reset.' }),
  });

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      aria-label={`New password for ${email}`}
      className="mt-3 flex w-full flex-wrap items-start gap-3"
    >
      <FormField
        form={form}
        name="password"
        id={`reset-${userId}-password`}
        label="New password"
        type="password"
        autoComplete="new-password"
        className="min-w-56 flex-1"
      />
      <FormField
        form={form}
        name="confirmPassword"
        id={`reset-${userId}-confirm`}
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        className="min-w-56 flex-1"
      />
      <Button type="submit" className="mt-7" disabled={form.formState.isSubmitting}>
        Set password
      </Button>
    </form>
  );
}
