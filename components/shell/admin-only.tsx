import { Alert } from '@/components/ui/alert';

export function AdminOnly({ what }: { what: string }) {
  return (
    <Alert tone="warning" title="Admins only">
      Your account is a viewer account, which is read-only. Ask an admin if you need to {what}.
    </Alert>
  );
}
