import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">The page you asked for does not exist or was deleted.</p>
      <Link href="/" className="text-indigo-600 underline">
        Back to the console
      </Link>
    </main>
  );
}
