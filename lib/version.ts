import pkg from '@/package.json';

/** The version in package.json: what `npm run admin -- version` and the Settings page show. */
export const APP_VERSION: string = pkg.version;
