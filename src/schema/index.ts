import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { applyFieldLimits } from '../graphql/field-limits.js';
import { builder } from './builder.js';
import { reportEveryInputIssue } from './every-input-issue.js';
import './scalars.js';
import './list-options.js';
import './resources/cluster.js';
import './resources/project.js';
import './cloud-credentials.js';
import './meta-proxy.js';
import './node-drivers.js';
import './settings.js';
import './tokens.js';
import './users.js';
import './role-bindings.js';
import './global-role-bindings.js';
import './namespaces.js';
import './workloads.js';
import './namespaced-secrets.js';
import './subscriptions.js';
import './audit-events.js';

/** The single source of truth: every face of the server is derived from this schema. */
export const schema: GraphQLSchema = applyFieldLimits(reportEveryInputIssue(lexicographicSortSchema(builder.toSchema())));
