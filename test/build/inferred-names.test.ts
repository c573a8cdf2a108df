import { runInNewContext } from 'node:vm';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { dropInferredNames, skipNamedAlready } from '../../scripts/inferred-names.mjs';

/** What scripts/build.mjs asks of esbuild for the program, for one file. */
const compile = (source: string) => transformSync(source, { keepNames: true, minifyWhitespace: true, format: 'esm', target: 'node20.19' }).code;

/** The names `code` reports (each snippet pushes the functions it wants to see onto `seen`), with how often `__name` defined one. */
function run(code: string): { names: string[]; defined: number } {
  const seen: Array<{ name: unknown }> = [];
  let defined = 0;
  const defineProperty = (target: object, key: PropertyKey, descriptor: PropertyDescriptor) => {
    if (key === 'name') defined += 1;
    return Object.defineProperty(target, key, descriptor);
  };
  // The compiled helper reads `Object.defineProperty`: give it a counting one.
  runInNewContext(code, { seen, Object: { ...Object, defineProperty } });
  return { names: seen.map((fn) => String(fn.name)), defined };
}

/** The program as built: compiled, then the redundant naming dropped and the helper made to skip. */
function built(source: string): string {
  const compiled = compile(source);
  const skipping = skipNamedAlready(dropInferredNames(compiled).code);
  // esbuild writes its helper only where something is named.
  expect(skipping.found).toBe(compiled.includes('__name('));
  return skipping.code;
}

// Each snippet pushes functions onto `seen`, several times where a function makes them on every call.
const snippets: Record<string, string> = {
  'variables and assignments': `
    const arrow = () => 1; let later; later = function () {}; var asyncOne = async () => {};
    seen.push(arrow, later, asyncOne);`,
  'object literals, made on every call': `
    const info = () => ({ getAbortSignal: () => 1, getAsyncHelpers: () => 2, plain: function () {}, "quoted-key": () => 3 });
    for (let i = 0; i < 3; i += 1) { const made = info(); seen.push(made.getAbortSignal, made.getAsyncHelpers, made.plain, made["quoted-key"]); }`,
  'defaults and class fields': `
    function withDefault(callback = () => 1) { return callback; }
    const { fromPattern = () => 2 } = {};
    class Holder { field = () => 3; static staticField = () => 4; }
    seen.push(withDefault(), fromPattern, new Holder().field, Holder.staticField);`,
  'function declarations inside functions': `
    function outer() { function endEarly() {} return endEarly; }
    for (let i = 0; i < 3; i += 1) seen.push(outer());`,
  'named function expressions': `
    const call = (fn) => fn;
    const handlers = () => [call(function handleCallback() { return 1; }), call(function recursive(n) { return n ? recursive(n - 1) : 0; })];
    for (let i = 0; i < 3; i += 1) seen.push(...handlers());`,
  'names the language would not give': `
    const target = {}; target.member = () => 1;
    const pick = (flag) => (flag ? () => 1 : () => 2);
    const wrapped = [() => 3];
    seen.push(target.member, pick(true), pick(false), wrapped[0], (() => () => 4)());`,
  'classes, also with a static name of their own': `
    class Plain {} const Expressed = class {}; class Shadowed { static name() { return 'own'; } }
    class Derived extends Plain {}
    seen.push(Plain, Expressed, Shadowed, Derived);`,
};

describe('the names the build leaves to the language (scripts/inferred-names.mjs)', () => {
  for (const [title, source] of Object.entries(snippets)) {
    it(`names every function as keepNames does: ${title}`, () => {
      const compiled = compile(source);
      expect(run(built(source)).names).toEqual(run(compiled).names);
    });
  }

  it('names nothing at run time where the language names it: an object literal made per call, a nested declaration', () => {
    const perCall = `${snippets['object literals, made on every call']}\n${snippets['function declarations inside functions']}`;
    expect(run(compile(perCall)).defined).toBeGreaterThan(12);
    expect(run(built(perCall)).defined).toBe(0);
  });

  it('still names what the language names otherwise: a renamed binding, a member, a wrapper called or read', () => {
    const kept = [
      'var x2=__name(()=>1,"x");',
      'a.b=__name(()=>1,"b");',
      'var f=__name(function g(){},"f");',
      'var h=__name(()=>1,"h")();',
      'var p=__name(()=>1,"p").length;',
      'var q=__name(()=>1,"other");',
    ];
    for (const code of kept) expect(dropInferredNames(code)).toEqual({ code, dropped: 0 });
  });

  it('keeps every other character in its column (the linked source maps stay exact)', () => {
    const code = 'var a=__name(()=>({k:__name(()=>2,"k")}),"a"),b=1;function c(d=__name(()=>1,"d")){}';
    const { code: dropped, dropped: count } = dropInferredNames(code);
    expect(count).toBe(3);
    expect(dropped).toHaveLength(code.length);
    expect(dropped.replace(/ +/g, ' ')).toBe('var a= ()=>({k: ()=>2 }) ,b=1;function c(d= ()=>1 ){}');
    const helper = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:true});var after=1;';
    expect(skipNamedAlready(helper).code).toHaveLength(helper.length);
  });

  it('reports a chunk without the helper, so a changed esbuild fails the build instead of shipping unnoticed', () => {
    expect(skipNamedAlready('var __name=(a,b)=>b;').found).toBe(false);
  });
});
