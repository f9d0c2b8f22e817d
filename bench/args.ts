import {parseArgs} from 'node:util';
import {parseSize} from '../source/demo/size.js';

export interface BenchOptions {
	sizeBytes: number;
	rounds: number;
	/** Rounds of the small-file (memory) pairs: a million files is slow to copy, and the target there is memory. */
	smallRounds: number;
	smallFiles: number;
	/** Datastore-shaped records (2–12 KiB, incompressible) for the ds-* pairs; 0 leaves them out. */
	records: number;
	only?: string[];
	smoke: boolean;
	quick: boolean;
	keep: boolean;
	/** Only rewrite RESULTS.md and print the table from results.json. */
	report: boolean;
	cli: string;
	/** The work folder (removed at start and, without --keep, at the end): two runs at once need two. */
	work?: string;
}

export const USAGE = `Usage: npm run bench -- [--size 1GiB] [--rounds 3] [--small-files 1000000] [--small-rounds 1] [--records 100000]
                       [--only dir-backup,resync-unchanged,zip-backup,restore,verify,tui,resync-changed,link-dest,small-dir,small-zip,small-verify,small-restore,small-dir-verify,small-dir-restore,small-resync,ds-dir,ds-resync,ds-zip,ds-verify,ds-restore,writes-blocked]
                       [--quick | --smoke] [--keep] [--cli dist/cli.js] [--work bench/work/run] [--report]`;

/** Presets: full (the numbers), --quick (minutes), --smoke (CI: tiny, checks exit codes and outputs only). */
const PRESETS = {
	full: {size: '1GiB', rounds: 3, smallFiles: 1_000_000, records: 100_000},
	quick: {size: '128MiB', rounds: 3, smallFiles: 20_000, records: 20_000},
	smoke: {size: '8MiB', rounds: 1, smallFiles: 2_000, records: 500},
};

export function parseBenchArgs(argv: string[]): BenchOptions {
	const {values} = parseArgs({
		args: argv.filter(arg => arg !== '--'),
		options: {
			size: {type: 'string'}, rounds: {type: 'string'}, 'small-files': {type: 'string'}, 'small-rounds': {type: 'string'}, records: {type: 'string'},
			only: {type: 'string'}, quick: {type: 'boolean', default: false}, smoke: {type: 'boolean', default: false},
			keep: {type: 'boolean', default: false}, report: {type: 'boolean', default: false}, cli: {type: 'string', default: 'dist/cli.js'}, work: {type: 'string'},
		},
	});
	if (values.quick && values.smoke) throw new Error('Give --quick or --smoke, not both.');
	const preset = PRESETS[values.smoke ? 'smoke' : values.quick ? 'quick' : 'full'];
	const sizeBytes = parseSize(values.size ?? preset.size);
	const rounds = wholeNumber(values.rounds, preset.rounds, 'rounds');
	const smallFiles = wholeNumber(values['small-files'], preset.smallFiles, 'small-files');
	if (sizeBytes === undefined) throw new Error(`--size "${values.size}" is not a size like 1GiB or 200MiB.`);
	if (rounds < 1) throw new Error('--rounds must be at least 1.');
	if (!values.smoke && rounds < 3) process.stderr.write('⚠ fewer than 3 rounds: medians of so few runs are noisy.\n');
	return {
		sizeBytes, rounds, smallFiles, records: wholeNumber(values.records, preset.records, 'records'), smallRounds: wholeNumber(values['small-rounds'], 1, 'small-rounds'),
		only: values.only?.split(',').map(name => name.trim()).filter(Boolean),
		smoke: values.smoke, quick: values.quick, keep: values.keep, report: values.report, cli: values.cli, work: values.work,
	};
}

function wholeNumber(raw: string | undefined, fallback: number, name: string): number {
	if (raw === undefined) return fallback;
	const value = Number(raw.replaceAll('_', '').replaceAll(',', ''));
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${raw}".`);
	return value;
}
