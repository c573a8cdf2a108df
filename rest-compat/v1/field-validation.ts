import { statusBadRequest, statusInvalid } from './status.js';

/**
 * Kubernetes' server-side field validation: the `fieldValidation` query parameter of a
 * create or an update says what becomes of fields of the object the server does not
 * know. `Strict` refuses the write, `Warn` (the default) drops them and says so in a
 * `Warning` header, `Ignore` drops them silently.
 */
type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What one write learns while its object is read: the directive, and the warnings its answer carries. */
export interface WriteContext {
  readonly fieldValidation: FieldValidation;
  /** Texts of Kubernetes warnings (`Warning: 299 - "<text>"`), in the order found. */
  readonly warnings: string[];
}

const directives: ReadonlySet<string> = new Set<FieldValidation>(['Strict', 'Warn', 'Ignore']);

/**
 * The context of a write from its query string. Kubernetes checks the directive with the
 * request's options, so an unknown one is 422 Invalid naming the create or update options.
 */
export function writeContext(params: URLSearchParams, mode: 'create' | 'update'): WriteContext {
  const directive = params.get('fieldValidation') ?? '';
  if (directive === '') return { fieldValidation: 'Warn', warnings: [] };
  if (!directives.has(directive)) {
    const options = mode === 'create' ? 'CreateOptions' : 'UpdateOptions';
    throw statusInvalid(
      'fieldValidation',
      `${options}.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: ${JSON.stringify(directive)}: supported values: "", "Ignore", "Strict", "Warn"`,
    );
  }
  return { fieldValidation: directive as FieldValidation, warnings: [] };
}

/**
 * Fields of the object no version of the kind has (paths as Kubernetes writes them,
 * `spec.rkeConfig.machinePools[0].foo`), all found before any value is checked: Strict
 * refuses them together, in the words of Kubernetes' strict decoder.
 */
function reportUnknownFields(context: WriteContext, paths: readonly string[]): void {
  if (paths.length === 0 || context.fieldValidation === 'Ignore') return;
  const texts = paths.map((path) => `unknown field ${JSON.stringify(path)}`);
  // Kubernetes' strict decoder fails the request as a whole: 400 BadRequest, not a field's 422.
  if (context.fieldValidation === 'Strict') throw statusBadRequest(`strict decoding error: ${texts.join(', ')}`);
  context.warnings.push(...texts);
}

/**
 * Fields a write would drop: those no version of the kind has go by `fieldValidation`
 * ({@link reportUnknownFields}); those the kind has and this server does not keep, set to
 * something (`spec.rkeConfig.rotateCertificates`, a pool's `hooks`), are not unknown — a
 * strict decoder takes them — so the write goes on in every mode, and is told, since
 * reading the object back will not show them. One rule for every part of the object.
 */
export function reportDroppedFields(context: WriteContext, found: { unknown: readonly string[]; unkept: readonly string[] }): void {
  reportUnknownFields(context, found.unknown);
  context.warnings.push(...found.unkept.map(unsupportedText));
}

const unsupportedText = (path: string) => `${path}: not supported by this server, ignored`;

/** Kubernetes keeps a response's warnings to about 4 KiB; the rest are left out. */
const maxWarningBytes = 4096;

/**
 * The `Warning` header of an answer (RFC 7234's `299 - "<text>"`, as Kubernetes sends
 * them, comma-separated, which client-go reads like repeated headers); none without warnings.
 */
export function warningHeaders(warnings: readonly string[]): Record<string, string> {
  const values: string[] = [];
  let bytes = 0;
  for (const text of warnings) {
    const value = `299 - ${quoted(text)}`;
    bytes += value.length + 2;
    if (bytes > maxWarningBytes) break;
    values.push(value);
  }
  return values.length > 0 ? { warning: values.join(', ') } : {};
}

/**
 * An HTTP quoted-string. Node sends a header's characters as single bytes, so the text
 * goes as its UTF-8 bytes, one character each (the bytes Kubernetes sends); control
 * characters, which no header may hold, become `?`.
 */
function quoted(text: string): string {
  const escaped = text.replace(/[\\"]/g, '\\$&').replace(/\p{Cc}/gu, '?');
  return `"${Buffer.from(escaped, 'utf8').toString('latin1')}"`;
}
