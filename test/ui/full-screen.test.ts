import {expect, test} from 'vitest';
import {pinToTop} from '../../source/ui/full-screen.js';

const home = '\u001B[H';

test("Ink's relative moves back to the frame's top are written as cursor-home; all else passes through", () => {
	// A diff of a frame as tall as the last: Ink goes up one line too few (6.8's incremental renderer).
	expect(pinToTop('\u001B[22A\u001B[E\u001B[1Gline\u001B[K\n')).toBe(`${home}\u001B[E\u001B[1Gline\u001B[K\n`);
	// A shorter frame: erase lines, then up to its top: what was below its new last line is erased.
	expect(pinToTop('\u001B[2K\u001B[1A\u001B[2K\u001B[G\u001B[5Anext')).toBe(`\u001B[6;1H\u001B[J${home}next`);
	// A clear before a fresh frame.
	expect(pinToTop('\u001B[2K\u001B[1A\u001B[2K\u001B[G')).toBe(`${home}\u001B[J`);
	// Scrollback is never erased; text without moves is untouched.
	expect(pinToTop('\u001B[2J\u001B[3J\u001B[Hframe')).toBe('\u001B[2J\u001B[Hframe');
	expect(pinToTop('plain text')).toBe('plain text');
});
