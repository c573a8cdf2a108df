import { ApiError } from '../errors.js';
import { admitAddresses, systemResolver } from './address-guard.js';
import { matchHostPatterns } from './allow-list.js';
import { AuditTrail } from './audit.js';
import { declaredLength, limitedBody, readLimitedBody } from '../http/limited-body.js';
import { assertSendable, clientResponseHeaders, forwardedRequestHeaders, type HeaderMap } from './headers.js';
import { applySigning, planSigning, type SigningPlan } from './signing.js';
import { parseProxyTarget, type ProxyTarget } from './target.js';
import { HeadOnly, type AnswerSink } from './transport.js';
import type { ProxyDependencies, ProxyInput, ProxySink } from './types.js';

const defaultRequestBodyLimit = 1024 * 1024;

/**
 * The meta proxy: one request in, the upstream's answer out, streaming both ways. The
 * REST route and the GraphQL mutation both call this. In order: the caller may use the
 * proxy, the target parses, the host is allow-listed, its addresses are public (or the
 * exact host is listed), headers are cleaned, the credential is applied — and only then
 * is a connection made, to the address that was checked. The answer goes into `sink`
 * (with the client's headers) as it arrives; the promise settles when it starts, and
 * rejects with an ApiError when it never does. Every call, failed or not, leaves one
 * audit record.
 */
export async function proxyRequest(input: ProxyInput, deps: ProxyDependencies, sink: ProxySink): Promise<void> {
  const audit = new AuditTrail(deps.audit, input.caller, input.method);
  try {
    await forward(input, deps, audit, sink);
  } catch (error) {
    audit.fail(error);
    throw error;
  }
}

async function forward(input: ProxyInput, deps: ProxyDependencies, audit: AuditTrail, sink: ProxySink): Promise<void> {
  if (input.caller.scope) throw new ApiError('PERMISSION_DENIED', 'keys scoped to a cluster or project cannot use the proxy');
  assertProxiableMethod(input.method);
  const target = parseProxyTarget(input.target, input.query);
  audit.host = target.host;

  // The allow list and the body cap come from caches, nearly always without a read: waited on only when they are one.
  const domains = deps.allowList.whitelistDomains();
  const match = matchHostPatterns(Array.isArray(domains) ? domains : await domains, target.hostname);
  if (match === 'none') throw new ApiError('SERVICE_UNAVAILABLE', `host ${target.hostname} is not on the proxy allow list`);

  const forwarded = forwardedRequestHeaders(input.headers, input.secure);
  const plan = forwarded.cattleAuth === undefined ? undefined : planSigning(forwarded.cattleAuth);
  audit.signer = plan?.signerName ?? null;
  audit.credentialId = plan?.credentialId ?? null;

  const [address] = await admitAddresses(target.hostname, match, deps.resolve ?? systemResolver);
  const limitNow = typeof deps.requestBodyLimit === 'function' ? deps.requestBodyLimit() : (deps.requestBodyLimit ?? defaultRequestBodyLimit);
  const limit = typeof limitNow === 'number' ? limitNow : await limitNow;
  const declared = declaredLength(input.headers['content-length']);
  const body = plan?.signer.needsBody
    ? await readLimitedBody(input.body, limit, declared, audit.request)
    : limitedBody(input.body, limit, declared, audit.request);

  const send = (headers: HeaderMap, sendBody: typeof body, answer: AnswerSink, totalMs?: number) =>
    deps.transport.send({ target, address: address!.address, method: input.method, headers, body: sendBody, totalMs, signal: input.signal }, answer);

  const headers = plan ? await signedHeaders(plan, input, deps, target, forwarded.headers, body, send) : forwarded.headers;
  // A streamed body keeps the length the caller declared; a buffered one gets its own from undici.
  if (declared !== undefined && body !== undefined && !Buffer.isBuffer(body)) headers['content-length'] = String(declared);
  assertSendable(headers);

  await send(headers, body, audit.follow(sink, clientResponseHeaders));
}

function signedHeaders(
  plan: SigningPlan,
  input: ProxyInput,
  deps: ProxyDependencies,
  target: ProxyTarget,
  headers: HeaderMap,
  body: Buffer | AsyncIterable<Uint8Array> | undefined,
  send: (headers: HeaderMap, body: undefined, answer: AnswerSink, totalMs: number) => Promise<void>,
): Promise<HeaderMap> {
  return applySigning(plan, {
    caller: input.caller,
    credentials: deps.credentials,
    method: input.method,
    target,
    headers,
    body: Buffer.isBuffer(body) ? body : undefined,
    // Same method and URL, no body, no credentials, its own short deadline, never redirected.
    async preflight() {
      const head = new HeadOnly();
      await send({}, undefined, head, deps.transport.timeouts.preflightMs);
      return head.answer;
    },
  });
}

function assertProxiableMethod(method: string): void {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method) || /^(CONNECT|TRACE|TRACK)$/i.test(method)) {
    throw new ApiError('BAD_REQUEST', `method ${method.slice(0, 20)} cannot be proxied`);
  }
}
