// @ts-check
/**
 * The /v3 API UI: a browser for Rancher's /v3 API that knows nothing about any
 * particular resource. Everything it shows and every form it builds comes from the
 * schemas (`X-Api-Schemas`), the way Rancher's own API UI works, and every request
 * it makes is shown as the equivalent cURL command and as raw HTTP.
 *
 * The server wraps each /v3 response in a page holding, in the JSON script element
 * #api-ui-config, { schemasUrl, data, curlUser, requestUrl }, and loads this script.
 * (JSON rather than inline code, so the page can forbid inline scripts.)
 */

/** @typedef {{ type?: string, default?: unknown, nullable?: boolean, create?: boolean, update?: boolean, required?: boolean, options?: string[], min?: number, max?: number, minLength?: number, maxLength?: number, description?: string, writeOnly?: boolean }} Field */
/** @typedef {{ id: string, pluralName?: string, links?: Record<string, string>, resourceFields?: Record<string, Field>, resourceActions?: Record<string, { input?: string, output?: string }>, collectionActions?: Record<string, { input?: string, output?: string }>, collectionFilters?: Record<string, { modifiers?: string[] }>, resourceMethods?: string[], collectionMethods?: string[] }} Schema */
/** @typedef {{ schemasUrl: string, data: any, curlUser: string, requestUrl: string }} PageConfig */

const config = /** @type {PageConfig} */ (JSON.parse(byId('api-ui-config').textContent ?? '{}'));

/** @type {Map<string, Schema>} */
const schemas = new Map();

main().catch((error) => showFatal(error));

async function main() {
  const list = await requestJson('GET', config.schemasUrl, undefined, { log: false });
  for (const schema of list.body?.data ?? []) schemas.set(schema.id, schema);
  render(config.data);
  // The page itself was the first request; its body is shown above.
  logRequest({ method: 'GET', url: config.requestUrl, requestHeaders: { Accept: 'application/json' }, status: config.data?.status ?? 200, statusText: '', responseHeaders: {}, body: '(the response body above)' });
}

// ---------------------------------------------------------------- rendering

/** @param {any} data */
function render(data) {
  const root = byId('app');
  root.replaceChildren(
    header(data),
    data?.type === 'collection' ? collectionView(data) : data?.type === 'error' ? errorView(data) : resourceView(data),
    section('Response body', jsonView(data)),
  );
}

/** @param {any} data */
function header(data) {
  const url = new URL(config.requestUrl);
  const crumbs = [];
  let path = '';
  for (const part of url.pathname.split('/').filter(Boolean)) {
    path += `/${part}`;
    crumbs.push(el('a', { href: path, class: 'crumb' }, decodeURIComponent(part)));
  }
  const title = data?.type === 'collection' ? `Collection of ${data.resourceType}` : data?.type === 'error' ? `Error ${data.status}` : `${data?.type ?? 'resource'} ${data?.id ?? ''}`;
  return el('header', {}, el('nav', { 'aria-label': 'path' }, ...crumbs), el('h1', {}, title));
}

/** @param {any} collection */
function collectionView(collection) {
  const schema = schemas.get(collection.resourceType);
  const actions = el('div', { class: 'toolbar' });
  const forms = el('div', { class: 'forms' });
  for (const [type, url] of Object.entries(collection.createTypes ?? {})) {
    actions.append(button(`Create ${type}`, () => forms.replaceChildren(resourceForm('Create', schemas.get(type), url, 'POST', 'create'))));
  }
  for (const [name, url] of Object.entries(collection.actions ?? {})) {
    actions.append(button(name, () => forms.replaceChildren(actionForm(name, schema?.collectionActions?.[name], String(url)))));
  }

  const columns = tableColumns(schema, collection.data ?? []);
  const rows = (collection.data ?? []).map((/** @type {any} */ item) =>
    el('tr', {}, ...columns.map((column) => el('td', {}, column === 'id' ? el('a', { href: item.links?.self ?? '#' }, String(item.id)) : display(item[column])))),
  );
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...columns.map((column) => el('th', {}, sortHeader(collection, column))))), el('tbody', {}, ...rows));

  const pagination = collection.pagination ?? {};
  const pages = el('p', { class: 'pagination' }, `${collection.data?.length ?? 0} shown${pagination.total !== undefined ? ` of ${pagination.total}` : ''}. `);
  for (const name of ['first', 'previous', 'next', 'last']) if (pagination[name]) pages.append(el('a', { href: pagination[name] }, name), ' ');

  return el('main', {}, actions, forms, filterForm(collection, schema), table, pages);
}

/** @param {any} resource */
function resourceView(resource) {
  const schema = schemas.get(resource?.type);
  const actions = el('div', { class: 'toolbar' });
  const forms = el('div', { class: 'forms' });
  if (resource?.links?.update) actions.append(button('Edit', () => forms.replaceChildren(resourceForm('Save', schema, resource.links.update, 'PUT', 'update', resource))));
  if (resource?.links?.remove) {
    actions.append(
      button('Delete', async () => {
        if (!window.confirm(`Delete ${resource.type} ${resource.id}?`)) return;
        const result = await requestJson('DELETE', resource.links.remove);
        if (result.status < 300) window.location.href = schema?.links?.collection ?? '/v3';
      }),
    );
  }
  const actionLinks = resource?.actions ?? resource?.actionLinks ?? {};
  for (const [name, url] of Object.entries(actionLinks)) {
    actions.append(button(name, () => forms.replaceChildren(actionForm(name, schema?.resourceActions?.[name], String(url)))));
  }

  const fields = el('dl', { class: 'fields' });
  for (const [name, value] of Object.entries(resource ?? {})) {
    if (name === 'links' || name === 'actions' || name === 'actionLinks') continue;
    fields.append(el('dt', {}, name, fieldNote(schema?.resourceFields?.[name])), el('dd', {}, display(value)));
  }
  const links = el('ul', { class: 'links' });
  for (const [name, url] of Object.entries(resource?.links ?? {})) links.append(el('li', {}, el('a', { href: String(url) }, name)));
  return el('main', {}, actions, forms, section('Fields', fields), section('Links', links));
}

/** @param {any} error */
function errorView(error) {
  return el('main', {}, el('p', { class: 'error', role: 'alert' }, `${error.code}: ${error.message}${error.fieldName ? ` (field ${error.fieldName})` : ''}`));
}

/** @param {Field | undefined} field */
function fieldNote(field) {
  if (!field?.type) return '';
  return el('span', { class: 'type' }, ` ${field.type}`);
}

/**
 * Columns for a collection: id, then name and state when present, then the other
 * scalar fields of the schema, at most eight in all.
 * @param {Schema | undefined} schema @param {any[]} items
 */
function tableColumns(schema, items) {
  const preferred = ['id', 'name', 'state'];
  const fields = Object.entries(schema?.resourceFields ?? {})
    .filter(([, field]) => !field.writeOnly && /^(string|int|float|boolean|date|enum|reference\[)/.test(field.type ?? ''))
    .map(([name]) => name);
  const present = new Set(items.flatMap((item) => Object.keys(item)));
  return [...new Set([...preferred, ...fields])].filter((name) => present.has(name) || fields.includes(name)).slice(0, 8);
}

/** @param {any} collection @param {string} column */
function sortHeader(collection, column) {
  const link = collection.sortLinks?.[column] ?? collection.sort?.links?.[column];
  if (!link) return column;
  const active = collection.sort?.name === column;
  const href = active && collection.sort?.reverse ? collection.sort.reverse : link;
  return el('a', { href, title: `sort by ${column}` }, column, active ? (collection.sort?.order === 'desc' ? ' ▼' : ' ▲') : '');
}

/** @param {any} collection @param {Schema | undefined} schema */
function filterForm(collection, schema) {
  const filters = schema?.collectionFilters ?? {};
  const names = Object.keys(filters);
  if (names.length === 0) return el('div');
  const field = el('select', { name: 'field', 'aria-label': 'filter field' }, ...names.map((name) => el('option', { value: name }, name)));
  const modifier = el('select', { name: 'modifier', 'aria-label': 'filter modifier' });
  const value = el('input', { name: 'value', 'aria-label': 'filter value', placeholder: 'value' });
  const fillModifiers = () =>
    modifier.replaceChildren(...(filters[/** @type {HTMLSelectElement} */ (field).value]?.modifiers ?? ['eq']).map((name) => el('option', { value: name }, name)));
  field.addEventListener('change', fillModifiers);
  fillModifiers();
  const form = el('form', { class: 'filter' }, 'Filter: ', field, modifier, value, el('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(collection.links?.self ?? config.requestUrl);
    const name = /** @type {HTMLSelectElement} */ (field).value;
    const mod = /** @type {HTMLSelectElement} */ (modifier).value;
    url.searchParams.append(mod === 'eq' ? name : `${name}_${mod}`, /** @type {HTMLInputElement} */ (value).value);
    url.searchParams.delete('marker');
    window.location.href = url.toString();
  });
  const active = Object.entries(collection.filters ?? {}).filter(([, conditions]) => conditions);
  const summary = active.length
    ? el('p', { class: 'active-filters' }, 'Filtered by ', ...active.map(([name, conditions]) => `${name} ${conditions.map((/** @type {any} */ c) => `${c.modifier} ${c.value}`).join(', ')} `))
    : '';
  return el('div', {}, form, summary);
}

// ---------------------------------------------------------------- forms

/**
 * A create or edit form built from a schema: one input per field that may be set
 * (`create` or `update`), typed by the field's /v3 type.
 * @param {string} label @param {Schema | undefined} schema @param {string} url
 * @param {'POST' | 'PUT'} method @param {'create' | 'update'} mode @param {any} [current]
 */
function resourceForm(label, schema, url, method, mode, current) {
  const inputs = Object.entries(schema?.resourceFields ?? {}).filter(([, field]) => field[mode]);
  return fieldsForm(label, inputs, current, async (body) => {
    const result = await requestJson(method, url, body);
    if (result.status < 300 && result.body?.links?.self) window.location.href = result.body.links.self;
  });
}

/** @param {string} name @param {{ input?: string } | undefined} action @param {string} url */
function actionForm(name, action, url) {
  const input = action?.input ? schemas.get(action.input) : undefined;
  const inputs = Object.entries(input?.resourceFields ?? {});
  return fieldsForm(`Run ${name}`, inputs, undefined, async (body) => {
    await requestJson('POST', url, inputs.length ? body : undefined);
  });
}

/**
 * @param {string} label @param {[string, Field][]} fields @param {any} current
 * @param {(body: Record<string, unknown>) => Promise<void>} submit
 */
function fieldsForm(label, fields, current, submit) {
  const form = el('form', { class: 'resource-form' });
  /** @type {Array<() => [string, unknown] | undefined>} */
  const readers = [];
  for (const [name, field] of fields) {
    const { control, read } = inputFor(name, field, current?.[name]);
    readers.push(read);
    form.append(el('label', {}, el('span', {}, name, field.required ? el('abbr', { title: 'required' }, ' *') : '', fieldNote(field)), control));
  }
  const problem = el('p', { class: 'error', role: 'alert' });
  form.append(problem, el('button', { type: 'submit' }, label));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    try {
      const body = Object.fromEntries(readers.map((read) => read()).filter((entry) => entry !== undefined));
      await submit(body);
    } catch (error) {
      problem.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  return form;
}

/**
 * One input for one field, and a reader giving [name, value], or undefined to
 * leave the field out of the body.
 * @param {string} name @param {Field} field @param {unknown} current
 * @returns {{ control: HTMLElement, read: () => [string, unknown] | undefined }}
 */
function inputFor(name, field, current) {
  const type = field.type ?? 'string';
  const initial = current ?? field.default;
  if (type === 'boolean') {
    const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', name }));
    box.checked = Boolean(initial);
    return { control: box, read: () => [name, box.checked] };
  }
  if (type === 'enum') {
    const select = /** @type {HTMLSelectElement} */ (el('select', { name }, el('option', { value: '' }, '—'), ...(field.options ?? []).map((option) => el('option', { value: option }, option))));
    select.value = initial == null ? '' : String(initial);
    return { control: select, read: () => (select.value ? [name, select.value] : undefined) };
  }
  if (/^(map|array)\[|^json$/.test(type) || schemas.has(type)) {
    const area = /** @type {HTMLTextAreaElement} */ (el('textarea', { name, rows: '3', placeholder: type.startsWith('array') ? '[]' : '{}' }));
    area.value = initial == null ? '' : JSON.stringify(initial, null, 2);
    return {
      control: area,
      read: () => {
        if (!area.value.trim()) return undefined;
        try {
          return [name, JSON.parse(area.value)];
        } catch {
          throw new Error(`${name}: not valid JSON`);
        }
      },
    };
  }
  const numeric = type === 'int' || type === 'float';
  const input = /** @type {HTMLInputElement} */ (
    el('input', {
      name,
      type: type === 'password' ? 'password' : numeric ? 'number' : type === 'date' ? 'datetime-local' : 'text',
      ...(numeric && type === 'float' ? { step: 'any' } : {}),
      ...(field.min !== undefined ? { min: String(field.min) } : {}),
      ...(field.max !== undefined ? { max: String(field.max) } : {}),
      ...(field.maxLength !== undefined ? { maxlength: String(field.maxLength) } : {}),
      ...(field.required ? { required: '' } : {}),
    })
  );
  input.value = initial == null || type === 'password' ? '' : type === 'date' ? String(initial).slice(0, 16) : String(initial);
  return {
    control: input,
    read: () => {
      if (input.value === '') return undefined;
      if (numeric) return [name, Number(input.value)];
      if (type === 'date') return [name, new Date(input.value).toISOString()];
      return [name, input.value];
    },
  };
}

// ---------------------------------------------------------------- requests

/**
 * Sends one API request as JSON, shows it (cURL and raw HTTP) and returns the
 * parsed answer. Cookie sessions need the CSRF cookie echoed in X-API-CSRF.
 * @param {string} method @param {string} url @param {unknown} [body] @param {{ log?: boolean }} [options]
 */
async function requestJson(method, url, body, options = {}) {
  /** @type {Record<string, string>} */
  const requestHeaders = { Accept: 'application/json' };
  if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
  const csrf = /(?:^|;\s*)CSRF=([^;]+)/.exec(document.cookie)?.[1];
  if (csrf && method !== 'GET') requestHeaders['X-API-CSRF'] = decodeURIComponent(csrf);
  const response = await fetch(url, { method, headers: requestHeaders, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  /** @type {Record<string, string>} */
  const responseHeaders = {};
  response.headers.forEach((value, key) => (responseHeaders[key] = value));
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (options.log !== false) {
    logRequest({ method, url, requestHeaders, requestBody: body === undefined ? undefined : JSON.stringify(body, null, 2), status: response.status, statusText: response.statusText, responseHeaders, body: parsed ? JSON.stringify(parsed, null, 2) : text });
  }
  return { status: response.status, body: parsed };
}

/**
 * @param {{ method: string, url: string, requestHeaders: Record<string, string>, requestBody?: string, status: number, statusText: string, responseHeaders: Record<string, string>, body: string }} exchange
 */
function logRequest(exchange) {
  const url = new URL(exchange.url, window.location.href);
  const headerLines = Object.entries(exchange.requestHeaders).map(([name, value]) => `${name}: ${value}`);
  const raw = [`${exchange.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...headerLines, '', exchange.requestBody ?? ''].join('\n');
  const answer = [`HTTP/1.1 ${exchange.status} ${exchange.statusText}`, ...Object.entries(exchange.responseHeaders).map(([name, value]) => `${name}: ${value}`), '', exchange.body].join('\n');
  const entry = el(
    'article',
    { class: `exchange ${exchange.status >= 400 ? 'failed' : ''}` },
    el('h3', {}, `${exchange.method} ${url.pathname}${url.search} → ${exchange.status}`),
    el('h4', {}, 'cURL'),
    el('pre', { class: 'curl' }, curlCommand(exchange.method, url.toString(), exchange.requestHeaders, exchange.requestBody)),
    el('h4', {}, 'Request'),
    el('pre', { class: 'http-request' }, raw),
    el('h4', {}, 'Response'),
    el('pre', { class: 'http-response' }, answer),
  );
  byId('requests').prepend(entry);
}

/**
 * The equivalent cURL command, with the API key left as shell variables
 * (`${CATTLE_ACCESS_KEY}:${CATTLE_SECRET_KEY}`) so no secret is ever printed.
 * @param {string} method @param {string} url @param {Record<string, string>} headers @param {string} [body]
 */
function curlCommand(method, url, headers, body) {
  const quote = (/** @type {string} */ text) => `'${text.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl -u "${config.curlUser}"`];
  if (method !== 'GET') parts.push(`-X ${method}`);
  for (const [name, value] of Object.entries(headers)) if (name !== 'X-API-CSRF') parts.push(`-H ${quote(`${name}: ${value}`)}`);
  if (body !== undefined) parts.push(`-d ${quote(JSON.stringify(JSON.parse(body)))}`);
  parts.push(quote(url));
  return parts.join(' \\\n  ');
}

// ---------------------------------------------------------------- helpers

/** JSON with every absolute URL turned into a link. @param {unknown} value */
function jsonView(value) {
  const pre = el('pre', { class: 'json' });
  const text = JSON.stringify(value, null, 2) ?? '';
  const pattern = /"(https?:\/\/[^"\s]+)"/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    pre.append(text.slice(last, match.index), '"', el('a', { href: match[1] ?? '#' }, match[1] ?? ''), '"');
    last = (match.index ?? 0) + match[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

/** @param {unknown} value */
function display(value) {
  if (value === null || value === undefined) return el('span', { class: 'empty' }, '—');
  if (typeof value === 'object') return el('code', {}, JSON.stringify(value));
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return el('a', { href: value }, value);
  return String(value);
}

/** @param {string} title @param {Node} content */
function section(title, content) {
  return el('section', {}, el('h2', {}, title), content);
}

/** @param {string} label @param {() => unknown} onClick */
function button(label, onClick) {
  const node = el('button', { type: 'button' }, label);
  node.addEventListener('click', () => void onClick());
  return node;
}

/**
 * Creates an element. Children are text or nodes; text is never parsed as HTML.
 * @param {string} tag @param {Record<string, string>} attributes @param {...(Node | string)} children
 */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** @param {string} id */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from the page`);
  return node;
}

/** @param {unknown} error */
function showFatal(error) {
  byId('app').replaceChildren(el('p', { class: 'error', role: 'alert' }, `The API UI could not start: ${error instanceof Error ? error.message : String(error)}`));
}
