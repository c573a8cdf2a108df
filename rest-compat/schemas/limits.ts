import type { GraphQLInputField } from 'graphql';
import { z } from 'zod';
import type { NormanField } from './types.js';

/**
 * Norman's length and range attributes for an input field, read from the zod
 * schemas the Pothos validation plugin keeps on the field (converted to JSON
 * Schema), so the limits /v3 advertises are the limits GraphQL enforces.
 */
export function fieldLimits(field: GraphQLInputField): Partial<NormanField> {
  const validators =
    (field.extensions as { '@pothos/plugin-validation'?: { schemas?: unknown[] } } | null | undefined)?.['@pothos/plugin-validation']?.schemas ?? [];
  const limits: Partial<NormanField> = {};
  for (const validator of validators) {
    if (!(validator instanceof z.ZodType)) continue;
    const json = jsonSchemaOf(validator);
    if (typeof json.minLength === 'number') limits.minLength = json.minLength;
    if (typeof json.maxLength === 'number') limits.maxLength = json.maxLength;
    if (typeof json.minimum === 'number') limits.min = json.minimum;
    if (typeof json.maximum === 'number') limits.max = json.maximum;
  }
  return limits;
}

function jsonSchemaOf(validator: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(validator, { unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return {};
  }
}
