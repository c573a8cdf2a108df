// Drops the name esbuild's `keepNames` gives a function where JavaScript gives it the
// very same name by itself (scripts/build.mjs runs this over every chunk it writes).
//
// With `keepNames`, esbuild wraps every function that has a name in the source in
// `__name(fn, "name")`, which runs `Object.defineProperty(fn, "name", …)` each time the
// expression is evaluated — also for an arrow in an object literal or a variable, which
// the language names itself. Such wrappers inside a function run on every call: the
// GraphQL executor makes two named arrows per field it resolves (`getAbortSignal`,
// `getAsyncHelpers`), Envelop a dozen per operation, so a /v3 page of 20 clusters named
// ≈ 1,200 functions (BENCHMARKS.md, `v3`, "Names kept, but not at every call").
//
// A wrapper is dropped only where the text around it makes the language name the
// unwrapped function with the same name: the initialiser of a declared variable, a
// parameter or binding default, or a class field (`name=`), an assignment to a plain
// identifier (`name=`), and a property of an object literal (`{name:`, `,"name":`); the
// wrapped expression an anonymous function, arrow or class; and the wrapper the end of
// its expression (followed by `,` `;` `)` `}` `]` or the end of the line). Everything
// else — renamed bindings (`name2=__name(…,"name")`), named function expressions, member
// assignments, a wrapper called or read from — keeps its `__name`, so every function's
// `name` is what it was with the wrappers (test/build/inferred-names.test.ts).
import { Parser } from 'acorn';

/**
 * `__name(` where the text before it names the wrapped function as the language would:
 * `name=` (not `.name=` nor `#name=`), or an object literal's `name:` or `"name":`.
 */
const namingContext = /(?<![\w$.#])([A-Za-z_$][\w$]*)=__name\(|(?<=[{,])([A-Za-z_$][\w$]*|"(?:[^"\\\n]|\\.)*"):__name\(/g;
const anonymous = new Set(['ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression']);
const expressionEnd = /[,;)}\]\n]|$/y;

/**
 * `code` with the wrappers the language makes redundant blanked out, and how many there
 * were. Each cut becomes as many spaces, so every other character keeps its line and
 * column and the chunk's source map stays exact. Input is esbuild's output for one chunk.
 */
export function dropInferredNames(code) {
  const cuts = [];
  for (const match of code.matchAll(namingContext)) {
    const name = match[1] ?? keyName(match[2]);
    if (name === undefined) continue;
    const start = match.index + match[0].length;
    const wrapped = wrappedExpression(code, start);
    if (!wrapped || !anonymous.has(wrapped.type) || wrapped.id) continue;
    const suffix = `,${JSON.stringify(name)})`;
    if (!code.startsWith(suffix, wrapped.end)) continue;
    expressionEnd.lastIndex = wrapped.end + suffix.length;
    if (!expressionEnd.test(code)) continue;
    cuts.push([start - '__name('.length, start], [wrapped.end, wrapped.end + suffix.length]);
  }
  if (cuts.length === 0) return { code, dropped: 0 };
  // Nested wrappers were found inside their outer ones: put the cuts in order of position.
  cuts.sort((a, b) => a[0] - b[0]);
  let result = '';
  let at = 0;
  for (const [from, to] of cuts) {
    result += code.slice(at, from) + ' '.repeat(to - from);
    at = to;
  }
  return { code: result + code.slice(at), dropped: cuts.length / 2 };
}

/** An object literal's key as the name it gives: a string key read as JSON (one with a JavaScript-only escape is left alone). */
function keyName(key) {
  if (!key.startsWith('"')) return key;
  try {
    return JSON.parse(key);
  } catch {
    return undefined;
  }
}

/**
 * The first argument of the call at `start`: one assignment expression (acorn's
 * `parseExpressionAt` reads a whole comma sequence, which would swallow the name).
 */
function wrappedExpression(code, start) {
  try {
    const parser = new Parser({ ecmaVersion: 'latest', sourceType: 'module' }, code, start);
    parser.nextToken();
    return parser.parseMaybeAssign();
  } catch {
    // Not an expression acorn reads here (it never happens in esbuild's output): left as it is.
    return undefined;
  }
}

/**
 * esbuild's helper behind `keepNames`, as its runtime writes it in the chunk that holds it
 * (esbuild renames its parameters, or `__defProp`, where a module in the chunk uses the name).
 */
const esbuildNameHelper = /__name=\(([\w$]+),([\w$]+)\)=>([\w$]+)\(\1,"name",\{(value|value:\2),configurable:true\}\)/;

/**
 * The same helper, leaving alone a function already so named: a function declaration
 * (`function f(){}` is followed by `__name(f,"f")`, which runs each time the enclosing
 * function does: Envelop declares three such per plugin hook it calls), a named function
 * expression, or a class named as it is. Defining the same `name` again changes nothing
 * but the function's hidden class. A function whose `name` is anything else (renamed, or
 * a class's own static `name`) is named as before.
 */
export function skipNamedAlready(code) {
  const helper = esbuildNameHelper.exec(code);
  if (!helper || (helper[4] === 'value' && helper[2] !== 'value')) return { code, found: false };
  const [original, , , defineProperty] = helper;
  // Padded to the helper's length where it fits, so the rest of its line keeps its
  // columns and the chunk's source map stays exact (`configurable:1` is `true` to defineProperty).
  const skipping = `__name=(t,v)=>t.name===v?t:${defineProperty}(t,"name",{value:v,configurable:1})`.padEnd(original.length);
  return { code: code.slice(0, helper.index) + skipping + code.slice(helper.index + original.length), found: true };
}
