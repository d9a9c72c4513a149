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
      <body className="min-h-screen font-sans antialiased">
        <noscript>
          <p
            role="alert"
            className="border-b border-amber-300 bg-amber-50 px-4 py-3 text-center text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            Mailroom&rsquo;s console needs JavaScript. Allow this site&rsquo;s scripts, then reload: until then, nothing entered
            here can be sent or saved.
          </p>
        </noscript>
        {children}
      </body>
    </html>
  );
}
