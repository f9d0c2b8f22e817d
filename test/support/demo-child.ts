/**
 * A process that starts a small demo and waits, for tests that kill it: prints
 * `{"root","repo"}` as one JSON line once the demo's AEM is ready.
 */
import {startDemo} from '../../source/ui/demo.js';

const session = await startDemo({log: () => undefined, sizeBytes: 2 * 1024 * 1024});
process.stdout.write(`${JSON.stringify({root: session.root, repo: session.repo})}\n`);
setInterval(() => undefined, 60_000);
