'use client';

import { useRouter } from 'next/navigation';
import { addStore } from '@/app/(console)/stores/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { STORE_TYPE_LABELS, STORE_TYPES } from '@/lib/stores/types';

const TYPE_OPTIONS = STORE_TYPES.map((t) => ({ value: t, label: STORE_TYPE_LABELS[t] }));

export function CreateStoreForm() {
  const router = useRouter();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/store').then((m) => m.createStoreSchema),
    defaultValues: { name: '', type: 'active_directory' },
    action: addStore,
    onSuccess: (res) => {
      if (res.data) router.push(`/stores/${res.data.id}/notifications`);
    },
  });

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-3">
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.message}</Alert> : null}
      <FormField form={form} name="name" id="store-name" label="Name" placeholder="Contoso AD" />
      <FormField form={form} name="type" id="store-type" label="Type" options={TYPE_OPTIONS} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        Create identity store
      </Button>
    </form>
  );
}
