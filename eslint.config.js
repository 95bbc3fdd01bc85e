// ESLint flat config: typescript-eslint's type-checked rules over every TypeScript folder that tsconfig.json covers.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'build/', 'data/', 'coverage/'] },
  {
    files: ['{src,tests,bench,scripts}/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promise-returning implementations (Bolt handlers, Kysely's migration provider, fakes of async ports) are async so a throw rejects.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore names what is left out on purpose: a destructured field dropped, express's four-argument error handler.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Effects that may be skipped map to `undefined` beside promises; Promise.all/allSettled take such arrays by design.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // `UserId | 'channel'` names the sentinel beside a string alias: documentation the rule would erase.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Tests read platform payloads and JSON files as loosely typed values and check their shape with expect(), which fails on a wrong one.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Likewise a payload field of the wrong type turns into a text that fails the assertion comparing it.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
);
