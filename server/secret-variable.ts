import { z } from 'zod';

/**
 * The environment variables that hold secrets (a password, a token, a URL
 * that may carry a password). The mark sits on the variable's own schema, so
 * a new secret variable is declared secret where it is declared, not in a
 * list kept elsewhere that can be forgotten.
 */
export const secretVariables = z.registry<{ secret: true }>();

/** Marks a variable's schema as secret; call it last, since zod's other methods return new schemas. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretVariables.add(schema, { secret: true });
  return schema;
}
