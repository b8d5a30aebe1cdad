// The body of POST /api/chat and the signed-out answer (coach/chat-request.ts answers the route).
import { z } from 'zod';

export const turnRequestSchema = z.object({
  conversationId: z.string().max(100).optional(),
  text: z.string(),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
});

/** Shown by the chat when the session has ended (the client reads `error`). */
export const SIGNED_OUT_MESSAGE = 'You have been signed out. Sign in again to send this message — it is still in the box.';
