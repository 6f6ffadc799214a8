import { z } from 'zod';

export const LoginBody = z.object({
  username: z.string().max(200, 'username is too long'),
  password: z.string().max(1000, 'password is too long'),
});

export const SetNameBody = z.object({
  name: z.string().max(200, 'Display name must be at most 30 characters'),
});
