import { z } from 'zod';

/**
 * How many items one page of any list holds: every connection, top-level or nested,
 * has the same default and the same cap. A request beyond the cap is refused with
 * INVALID_INPUT on `first`/`last` (naming the cap), never silently cut short, and the
 * `first`/`last` argument descriptions say so in the schema itself.
 */
export const pageSize = { default: 100, max: 1000 } as const;

const size = (argument: 'first' | 'last') =>
  z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(
      pageSize.max,
      `at most ${pageSize.max} items per page; for more, ask for the next page with ${argument === 'first' ? 'after: pageInfo.endCursor' : 'before: pageInfo.startCursor'}`,
    );

/** The relay plugin's options for every connection's `first` and `last` arguments. */
export const pageSizeArgOptions = {
  firstArgOptions: {
    description: `How many items to return from the start (after \`after\`). Default ${pageSize.default} when neither \`first\` nor \`last\` is given; at most ${pageSize.max}, more is refused with INVALID_INPUT.`,
    validate: size('first'),
  },
  lastArgOptions: {
    description: `How many items to return from the end (before \`before\`). At most ${pageSize.max}, more is refused with INVALID_INPUT.`,
    validate: size('last'),
  },
};
