'use client';

import { Button } from '@/components/ui/button';

export function SignOutButton() {
  return (
    <Button
      variant="secondary"
      // next-auth's browser client loads on click: every console page would carry it otherwise.
      onClick={async () => (await import('next-auth/react')).signOut({ callbackUrl: '/login' })}
    >
      Sign out
    </Button>
  );
}
