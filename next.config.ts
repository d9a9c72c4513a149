import type { NextConfig } from 'next';

// The Content-Security-Policy carries a per-request script nonce, so proxy.ts sets it.
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const nextConfig: NextConfig = {
  // A separate build directory lets the end-to-end suite build without clobbering `npm start`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['better-sqlite3', 'pg', 'pino', '@prisma/schema-engine-wasm', 'undici', 'prom-client'],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm run lint` type-checks the whole project (CI runs it); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
