import type { CommandContext } from './context.ts';

/** Placeholder until the owning issue lands; replaced by the real command. */
export async function run(ctx: CommandContext): Promise<number> {
  ctx.stderr.write('shelltrail attempts: not available yet\n');
  return 1;
}
