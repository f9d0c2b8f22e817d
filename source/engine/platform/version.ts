import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

/** The package version; package.json sits three folders up from both source/engine/platform and dist/source/engine/platform. */
function readVersion(): string {
	for (const candidate of ['../../../package.json', '../../../../package.json']) {
		try {
			const pkg = require(candidate) as {name?: string; version?: string};
			if (pkg.name === 'crx-backup' && pkg.version) return pkg.version;
		} catch {}
	}
	return '0.0.0';
}

export const toolVersion = readVersion();
