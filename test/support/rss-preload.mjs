// Preloaded into the CLI by runCliMeasured (NODE_OPTIONS=--import=…): records the process's
// peak resident set size, in KiB, when it exits. Worker threads share the process, so they count.
import fs from 'node:fs';
import process from 'node:process';

const file = process.env.CRX_TEST_RSS_FILE;
if (file) {
	delete process.env.NODE_OPTIONS; // Hooks and children the CLI starts are not measured.
	process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
