/**
 * Restore drill phases on the bench fixture: the fixture gets the fake AEM's scripts (source/demo/fake-aem),
 * is backed up once, then `crx-backup drill --json` runs `rounds` times and its figures are reported: verify,
 * restore, start to ready, and their sum (the restore time objective). Phases, not a ratio or a goal: there is
 * no standard tool that does a drill, and the fake AEM's start-up is the fixture's own (instant here).
 *
 * As root the drill runs in its own network namespace; otherwise with --allow-network (said in the row).
 * Writes bench/drill-phases.json (unless `write` is false: the smoke run).
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {installFakeAem} from '../source/demo/fake-aem/install.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Figures {
	verifyMs: number;
	restoreMs: number;
	startMs: number;
	rtoMs: number;
}

export interface DrillPhasesOptions {
	cli: string;
	/** The fixture's install folder (holding crx-quickstart). */
	install: string;
	work: string;
	rounds: number;
	write: boolean;
	log: (line: string) => void;
}

/** Returns 1 when a drill did not come up (the bench's failure), else 0. */
export async function runDrillPhases(options: DrillPhasesOptions): Promise<number> {
	const {log} = options;
	log('▶ Restore drill phases (verify, restore, start to ready) on the fixture');
	await installFakeAem(options.install, {stopDelayMs: 0, exitDelayMs: 0, maxLifetimeMs: 30 * 60_000});
	const backups = path.join(options.work, 'drill-backups');
	fs.mkdirSync(backups, {recursive: true});
	const env = {...process.env, CRX_BACKUP_STATE_DIR: path.join(options.work, 'state'), CRX_BACKUP_AEM_PASSWORD: 'admin'};
	const run = (args: string[]) => spawnSync(process.execPath, [options.cli, ...args], {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	const backup = path.join(backups, 'drilled');
	const made = run(['backup', '--repo', options.install, '--target', backup]);
	if (made.status !== 0) {
		log(`✖ drill-phases: the backup failed: ${made.stderr.trim()}`);
		return 1;
	}
	const isolation = process.getuid?.() === 0 ? [] : ['--allow-network'];
	const rounds: Figures[] = [];
	for (let round = 0; round < options.rounds; round++) {
		const drill = run(['drill', '--repo', options.install, '--dir', backups, '--json', ...isolation]);
		if (drill.status !== 0) {
			log(`✖ drill-phases: the drill exited ${drill.status}: ${drill.stderr.trim().split('\n').pop()}`);
			return 1;
		}
		rounds.push((JSON.parse(drill.stdout) as {figures: Figures}).figures);
	}
	const row = {
		verifyMs: median(rounds.map(round => round.verifyMs)), restoreMs: median(rounds.map(round => round.restoreMs)),
		startMs: median(rounds.map(round => round.startMs)), rtoMs: median(rounds.map(round => round.rtoMs)),
	};
	const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	log(`  drill-phases (median of ${rounds.length}, ${isolation.length ? 'not isolated' : 'network namespace'}): verify ${s(row.verifyMs)} + restore ${s(row.restoreMs)} + start to ready ${s(row.startMs)} = ${s(row.rtoMs)}`);
	if (options.write) {
		const file = path.join(benchDir, 'drill-phases.json');
		fs.writeFileSync(file, `${JSON.stringify({date: new Date().toISOString(), isolation: isolation.length ? 'none' : 'namespace', median: row, rounds}, null, '\t')}\n`);
		log('Wrote bench/drill-phases.json');
	}
	return 0;
}
