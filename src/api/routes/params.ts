/** Query parameters several routes share. */
import { z } from '@hono/zod-openapi';

/** An ISO date/time or an age such as `7d`, `12h`, `30m`, as milliseconds. */
export const timeParam = z
  .string()
  .max(40)
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    const rel = /^(\d{1,6})([smhdw])$/.exec(value);
    if (rel) {
      const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[rel[2] as 's'];
      return Date.now() - Number(rel[1]) * unit;
    }
    const t = Date.parse(value);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO date/time or an age like 7d' });
      return z.NEVER;
    }
    return t;
  })
  .openapi({ type: 'string', example: '7d' });
