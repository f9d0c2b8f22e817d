import type {BackupKind, Step} from '../types.js';

/**
 * The seed's progress bands ("How AEM Online Backup Works"): where each stage sits
 * in the overall percentage. A zip spends 70–100 % zipping.
 */
const bands: Record<BackupKind, Record<string, [number, number]>> = {
	zip: {1: [0, 63], 2: [63, 65.8], 3: [65.8, 68.6], 4: [68.6, 70], zip: [70, 100]},
	directory: {1: [0, 90], 2: [90, 94], 3: [94, 98], 4: [98, 100]},
};

export function band(kind: BackupKind, step: Step): [number, number] {
	return bands[kind][String(step.stage)] ?? [0, 100];
}

/** The overall percentage for `fraction` (0..1) of the given step's band. */
export function overallPercent(kind: BackupKind, step: Step, fraction: number): number {
	const [start, end] = band(kind, step);
	const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
	return start + (end - start) * clamped;
}
