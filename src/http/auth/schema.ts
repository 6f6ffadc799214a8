import { z } from 'zod';
import { InputLimits } from '../../protocol/limits.js';

export const LoginBody = z.object({
  username: z.string().max(InputLimits.username, 'username is too long'),
  password: z.string().max(InputLimits.password, 'password is too long'),
});

export const SetNameBody = z.object({
  name: z.string().max(InputLimits.displayNameInput, `Display name must be at most ${InputLimits.displayNameMax} characters`),
});
