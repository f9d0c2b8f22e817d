// ESLint: typescript-eslint's recommended rules with type information, and React's hooks rules for the TUI.
// No blanket disables: a rule that does not fit this code is turned off here, with the reason.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'bench/work/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts', '**/*.tsx'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			// The two rules of hooks. The plugin's React Compiler rules (refs read in render, setState in an effect)
			// judge code for a compiler this TUI does not use, and Ink's render model is what the tests pin down.
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			// Terminal escape codes, Felix's escaping and NUL checks are control characters on purpose.
			'no-control-regex': 'off',
			// An empty catch is a best-effort cleanup (a kill of a process already gone, an unmount already done).
			'no-empty': ['error', {allowEmptyCatch: true}],
			// Unused names are compile errors' business only when they are not deliberately ignored.
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
		},
	},
);
