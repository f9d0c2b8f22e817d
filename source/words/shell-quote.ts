/**
 * A path as a POSIX shell word: as it is when it holds only characters no shell
 * treats specially (the common case reads cleanly), else in single quotes, with
 * each ' written as '\''. So `cd /srv/aem restore` pastes as `cd '/srv/aem restore'`.
 */
export function shellQuote(text: string): string {
	if (/^[\w@%+=:,./-]+$/.test(text)) return text;
	return `'${text.replace(/'/g, `'\\''`)}'`;
}
