import {expect, expectTypeOf, test} from 'vitest';
import type {CheckedBackupOptions} from '../../source/engine/options/check.js';
import type {BackupOptions, BackupRunRecord, BackupSummary, ManifestHeader} from '../../source/engine/types.js';
import {checkBackupOptions} from '../../source/engine/options/check.js';

// These hold at compile time (`npx tsc -p tsconfig.test.json` fails when they do not): a field written into both
// the summary and the header instead of their shared record, or a checked option typed apart from BackupOptions.

test('the fields a backup summary and a manifest header share are declared once, in BackupRunRecord', () => {
	// `method` is the one exception: the summary always has it, a manifest written before --method has not.
	expectTypeOf<Exclude<keyof BackupSummary & keyof ManifestHeader, 'method'>>().toEqualTypeOf<keyof BackupRunRecord>();
	expectTypeOf<Pick<BackupSummary, keyof BackupRunRecord>>().toEqualTypeOf<BackupRunRecord>();
	expectTypeOf<Pick<ManifestHeader, keyof BackupRunRecord>>().toEqualTypeOf<BackupRunRecord>();
});

test('every checked backup option is a BackupOptions field of the same type, its defaults filled in', () => {
	type Shared = keyof CheckedBackupOptions & keyof BackupOptions;
	expectTypeOf<keyof CheckedBackupOptions>().toEqualTypeOf<Shared>();
	expectTypeOf<CheckedBackupOptions['delayMs']>().toEqualTypeOf<BackupOptions['delayMs']>();
	expectTypeOf<CheckedBackupOptions['method']>().toEqualTypeOf<NonNullable<BackupOptions['method']>>();
	expectTypeOf<CheckedBackupOptions['freezeCmd']>().toEqualTypeOf<BackupOptions['freezeCmd']>();
	// At run time: the defaults the type promises are there for options given as nothing at all.
	const checked = checkBackupOptions({});
	expect({delayMs: checked.delayMs, method: checked.method, exclude: checked.exclude, filesOnly: checked.filesOnly, externalDatastore: checked.externalDatastore})
		.toEqual({delayMs: 0, method: 'online', exclude: [], filesOnly: false, externalDatastore: true});
	expect(typeof checked.freezeTimeoutMs).toBe('number');
	expect(typeof checked.stopTimeoutMs).toBe('number');
});
