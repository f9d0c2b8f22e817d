import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		// Tests work on the real file system and spawn real processes: give them room.
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2,
	},
});
