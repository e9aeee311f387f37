import { z } from 'zod';

/** What the burst's shoppers ask of the POSTing thread (burst-thread.ts). */
export const BurstCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), url: z.url(), size: z.number().int().positive() }),
  z.object({ type: z.literal('post'), id: z.number().int(), url: z.url(), headers: z.record(z.string(), z.string()), body: z.string(), timeoutMs: z.number().int().positive() }),
  z.object({ type: z.literal('close') }),
]);
export type BurstCommand = z.infer<typeof BurstCommand>;

/** What the thread tells them: connections opened, and each POST's answer (its moment as wall time) or failure. */
export const BurstReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('opened'), opened: z.number().int(), openMs: z.number() }),
  z.object({ type: z.literal('answered'), id: z.number().int(), status: z.number().int(), answeredAtEpochMs: z.number(), body: z.string() }),
  z.object({ type: z.literal('failed'), id: z.number().int(), message: z.string(), name: z.string().optional() }),
]);
export type BurstReply = z.infer<typeof BurstReply>;
