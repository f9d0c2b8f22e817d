import fs from 'node:fs';
import path from 'node:path';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import type {FakeAemConfig} from '../../source/demo/fake-aem/paths.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli, type CliResult} from './cli.js';
import {tempDir} from './trees.js';

/**
 * A drill fixture: a fake AEM install (never started: a drill must not need the live AEM), one complete backup
 * of it made by the CLI, a state folder of its own. The fake's start-up phases are short and set through its
 * config file, which the backup carries (AEM's start script gets a clean environment, FAKE_AEM_* does not pass).
 */
export interface DrillFixture {
	root: string;
	install: string;
	quickstart: string;
	backups: string;
	backup: string;
	env: Record<string, string>;
}

export async function drillFixture(prefix: string, config: FakeAemConfig = {}, options: {owner?: (install: string) => void} = {}): Promise<DrillFixture> {
	const root = tempDir(prefix);
	fs.chmodSync(root, 0o755);
	const install = path.join(root, 'AEM');
	const {quickstart} = await generateRepository(install, {sizeBytes: 256 * 1024, seed: 11});
	await installFakeAem(install, {stopDelayMs: 100, exitDelayMs: 100, maxLifetimeMs: 120_000, startupMs: 300, bundlesMs: 300, ...config});
	options.owner?.(install);
	const backups = path.join(root, 'backups');
	fs.mkdirSync(backups, {mode: 0o755});
	const env = {CRX_BACKUP_STATE_DIR: path.join(root, 'state'), CRX_BACKUP_AEM_PASSWORD: 'admin'};
	const backup = path.join(backups, 'nightly');
	const made = await runCli(['backup', '--repo', install, '--target', backup], {env});
	if (made.code !== 0) throw new Error(`the fixture's backup failed: ${made.stderr}`);
	return {root, install, quickstart, backups, backup, env};
}

export const drill = (fixture: DrillFixture, args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
	runCli(['drill', '--repo', fixture.install, '--dir', fixture.backups, ...args], {env: {...fixture.env, ...env}});

/** The scratch folders beside the backups (a drill's `.crx-backup-drill-*`). */
export const scratchFolders = (fixture: Pick<DrillFixture, 'backups'>) => fs.readdirSync(fixture.backups).filter(name => name.startsWith('.crx-backup-drill-'));

/** The lines the fake's "replication agent" logged in a restored install. */
export const replicationLines = (install: string) => (fs.readFileSync(path.join(install, 'crx-quickstart/logs/stdout.log'), 'utf8').match(/replication agent: .*/g) ?? []);

/** The java processes working in a drill's scratch folder (the drill's AEM), with their uid. */
export function drillJvms(fixture: Pick<DrillFixture, 'backups'>): Array<{pid: number; uid: number}> {
	const found: Array<{pid: number; uid: number}> = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			if (fs.readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'java') continue;
			const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
			// The drill's AEM works in <backups>/.crx-backup-drill-*/aem (the restored install in the drill's own folder).
			const [scratch, ...inside] = path.relative(fixture.backups, cwd).split(path.sep);
			if (!scratch?.startsWith('.crx-backup-drill-') || inside.length === 0) continue;
			found.push({pid: Number(name), uid: Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'))![1])});
		} catch {
			// Gone meanwhile.
		}
	}
	return found;
}
