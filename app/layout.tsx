import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@/app/globals.css';

// Every page reads the database or the session: nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Mailroom', template: '%s · Mailroom' },
  description: 'Outgoing mail settings for helpdesk notifications',
  referrer: 'no-referrer',
  icons: { icon: '/favicon.ico', apple: '/icon-192.png' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
