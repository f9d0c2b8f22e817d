/**
 * IBM code page 437, the zip format's default name encoding when an entry's
 * UTF-8 flag (general-purpose bit 11) is off. The low half is ASCII; control
 * bytes stay as they are (they are refused as names elsewhere, not guessed at).
 */
const HIGH = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function cp437(bytes: Buffer): string {
	let ascii = true;
	for (const byte of bytes) if (byte >= 0x80) ascii = false;
	if (ascii) return bytes.toString('latin1');
	let text = '';
	for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : HIGH[byte - 0x80];
	return text;
}
