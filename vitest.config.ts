import {configDefaults, defineConfig} from 'vitest/config';

// `npm run test:faults` sets CRX_SLOW_TESTS=1 and runs only the slow suite (*.slow.test.ts): the 4 GiB entry,
// 70,000 entries, the 200,000-file tree and the 30-re-sync soak. `npm test` runs everything else.
const slow = process.env.CRX_SLOW_TESTS === '1';

export default defineConfig({
	test: {
		include: slow ? ['test/**/*.slow.test.ts'] : ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: [...configDefaults.exclude, ...(slow ? [] : ['test/**/*.slow.test.ts'])],
		// Tests work on the real file system and spawn real processes: give them room.
		testTimeout: slow ? 600_000 : 120_000,
		hookTimeout: slow ? 300_000 : 120_000,
		// No maintenance-window warning unless a test asks for one (CRX_BACKUP_MAINTENANCE_WINDOW=''): a suite run
		// between 02:00 and 05:00 would otherwise see it in backups that assert their exact warnings.
		env: {CRX_BACKUP_MAINTENANCE_WINDOW: 'none'},
		pool: 'forks',
		maxWorkers: 2,
	},
});
