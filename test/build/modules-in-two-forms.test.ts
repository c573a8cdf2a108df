import { describe, expect, it } from 'vitest';
import { modulesInTwoForms } from '../../scripts/build.mjs';

const metafileOf = (inputs: string[]) => ({ inputs: Object.fromEntries(inputs.map((input) => [input, { bytes: 1, imports: [] }])) });

/**
 * The build fails when a package's module went into the bundle twice, as `x.js` and `x.mjs`
 * (scripts/build.mjs): the second copy's classes fail `instanceof` against the first's. The
 * compiled program's own answers are checked in test/server/process.test.ts.
 */
describe('modules bundled in two forms', () => {
  it("finds a package's module taken both as CommonJS and as an ES module", () => {
    const doubled = modulesInTwoForms(
      metafileOf([
        'node_modules/graphql/index.mjs',
        'node_modules/graphql/language/parser.mjs',
        'node_modules/graphql/language/parser.js',
        'node_modules/graphql/error/GraphQLError.js',
        'node_modules/graphql/error/GraphQLError.mjs',
        'src/main.ts',
      ]),
    );
    expect(doubled).toEqual([
      ['node_modules/graphql/language/parser.mjs', 'node_modules/graphql/language/parser.js'],
      ['node_modules/graphql/error/GraphQLError.js', 'node_modules/graphql/error/GraphQLError.mjs'],
    ]);
  });

  it('leaves alone two installed copies of one package (each its own version) and our own files', () => {
    const doubled = modulesInTwoForms(
      metafileOf([
        'node_modules/tslib/tslib.es6.mjs',
        'node_modules/graphql-middleware/node_modules/tslib/tslib.es6.js',
        'src/graphql/yoga.ts',
        'src/graphql/yoga.js',
      ]),
    );
    expect(doubled).toEqual([]);
  });
});
