import {createContext, useContext} from 'react';

/**
 * Semantic colour tokens (gemini-cli's habit): screens ask for `success` or
 * `muted`, never for `green`. The no-colour theme leaves every token undefined
 * and turns off bold and dim, so a NO_COLOR frame carries no SGR codes at all;
 * meaning is always also carried by a symbol (✔ ✖ ⚠ ›).
 */
export interface Theme {
	accent?: string;
	success?: string;
	warning?: string;
	error?: string;
	/** Secondary text: hints, units, the key bar. */
	muted: boolean;
	/** Titles and the selected row. */
	bold: boolean;
	/** The selected row of a list. */
	selected?: string;
}

export const colourTheme: Theme = {
	accent: 'cyan',
	success: 'green',
	warning: 'yellow',
	error: 'red',
	muted: true,
	bold: true,
	selected: 'cyan',
};

export const noColourTheme: Theme = {muted: false, bold: false};

/** NO_COLOR (any non-empty value, per no-color.org) wins over everything else. */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? noColourTheme : colourTheme;
}

export const ThemeContext = createContext<Theme>(colourTheme);

export const useTheme = (): Theme => useContext(ThemeContext);

/** The symbols that carry meaning without colour. */
export const symbols = {
	done: '✔',
	failed: '✖',
	warning: '⚠',
	running: '…',
	pending: '·',
	pointer: '›',
	/** Not a backup: an install (restored, or unmarked) that delete leaves alone. */
	install: '◆',
} as const;
