import { builder } from './builder.js';

/** Norman's `transitioning`: generic clients wait while it is `yes`. */
export const Transitioning = builder.enumType('Transitioning', {
  description: 'Whether a resource is changing (Norman’s `transitioning`): generic clients wait while it is YES.',
  values: {
    yes: { description: 'On its way to a steady state: wait and read it again.' },
    no: { description: 'Steady.' },
    error: { description: 'Stuck in an error; `transitioningMessage` says why.' },
  } as const,
});
