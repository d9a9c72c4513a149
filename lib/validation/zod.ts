import { z } from 'zod';

// Zod compiles object parsers with `new Function` unless told not to, and the console's
// Content-Security-Policy forbids eval (docs/security.md#security-headers): every schema imports z from here.
z.config({ jitless: true });

export { z };
