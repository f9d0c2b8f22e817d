/**
 * Imported first by cli.tsx, before anything touches the libuv thread pool (it is
 * sized on first use): four threads cannot keep both cores busy with deflate while
 * file reads and stats wait their turn.
 */
process.env.UV_THREADPOOL_SIZE ??= '8';
