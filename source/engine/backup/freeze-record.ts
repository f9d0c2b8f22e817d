/**
 * What the manifest records of how stage 4 froze writes: the command or AEM's
 * address as given, with anything that looks like a credential masked. A backup
 * is read by whoever restores it, and a freeze command often calls curl with a
 * password (`-u admin:secret`, `https://admin:secret@host`, `password=secret`).
 */
export function maskCredentials(text: string): string {
	return text
		.replace(/(\/\/[^/\s:@]+):[^@\s]*@/g, '$1:***@')
		.replace(/((?:^|\s)(?:-u|--user)(?:\s+|=)['"]?[^:\s'"]+):[^\s'"]+/g, '$1:***')
		.replace(/((?:pass(?:word)?|passwd|secret|token)=['"]?)[^\s'"&]+/gi, '$1***')
		.replace(/((?:^|\s)--(?:pass(?:word)?|passwd|secret|token)(?:\s+|=)['"]?)[^\s'"]+/gi, '$1***');
}
