import { z } from '@/lib/validation/zod';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-policy';
import { ROLES } from '@/lib/auth/roles';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address.')
  .max(320, 'Email addresses are at most 320 characters.')
  .pipe(z.email('Enter a valid email address, like admin@example.com.'));

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(256, 'Use at most 256 characters.');

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(1024),
});

const passwordsMatch = {
  check: (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword,
  params: { path: ['confirmPassword'], message: 'The passwords do not match.' },
};

export const setupSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(120, 'At most 120 characters.'),
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const createUserSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(120, 'At most 120 characters.'),
    role: z.enum(ROLES, 'Choose admin or viewer.'),
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(1024),
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const resetUserPasswordSchema = z
  .object({ id: z.string().min(1), password: newPasswordSchema, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.params);

export const updateUserRoleSchema = z.object({ id: z.string().min(1), role: z.enum(ROLES) });
export const deleteUserSchema = z.object({ id: z.string().min(1) });

export type CreateUserInput = z.input<typeof createUserSchema>;
