import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';

/**
 * A minimal server of restic's REST backend protocol (the one rest-server speaks:
 * https://restic.readthedocs.io/en/stable/100_references.html#rest-backend) over a
 * folder, behind HTTP basic authentication: so that a test can use a real restic
 * with a repository URL that holds a password, `rest:http://user:password@host/`.
 */
export async function resticRestServer(dir: string, user: string, password: string): Promise<{url: (withPassword?: string) => string; close: () => Promise<void>}> {
	const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	const server = http.createServer((request, response) => {
		if (request.headers.authorization !== expected) {
			response.writeHead(401, {'WWW-Authenticate': 'Basic realm="restic"'}).end();
			return;
		}
		const url = new URL(request.url ?? '/', 'http://x');
		const parts = url.pathname.split('/').filter(Boolean);
		if (parts.some(part => part === '..' || part.includes('\\'))) return void response.writeHead(400).end();
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			try {
				serve(request, response, parts, Buffer.concat(chunks), url);
			} catch {
				if (!response.headersSent) response.writeHead(500);
				response.end();
			}
		});
	});
	const serve = (request: http.IncomingMessage, response: http.ServerResponse, parts: string[], body: Buffer, url: URL) => {
		const method = request.method ?? 'GET';
		if (parts.length === 0 && method === 'POST' && url.searchParams.get('create') === 'true') {
			for (const type of ['data', 'keys', 'locks', 'snapshots', 'index']) fs.mkdirSync(path.join(dir, type), {recursive: true});
			return void response.writeHead(200).end();
		}
		const file = path.join(dir, ...parts);
		if (parts.length === 1 && parts[0] !== 'config' && method === 'GET') {
			const names = fs.existsSync(file) ? fs.readdirSync(file) : [];
			const v2 = (request.headers.accept ?? '').includes('application/vnd.x.restic.rest.v2');
			const list = v2 ? names.map(name => ({name, size: fs.statSync(path.join(file, name)).size})) : names;
			return void response.writeHead(200, {'Content-Type': v2 ? 'application/vnd.x.restic.rest.v2' : 'application/json'}).end(JSON.stringify(list));
		}
		if (method === 'POST') {
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.writeFileSync(file, body);
			return void response.writeHead(200).end();
		}
		if (method === 'DELETE') {
			fs.rmSync(file, {force: true});
			return void response.writeHead(200).end();
		}
		if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return void response.writeHead(404).end();
		const content = fs.readFileSync(file);
		if (method === 'HEAD') return void response.writeHead(200, {'Content-Length': content.length}).end();
		const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
		if (!range) return void response.writeHead(200, {'Content-Length': content.length}).end(content);
		const start = Number(range[1]);
		const end = range[2] ? Math.min(Number(range[2]), content.length - 1) : content.length - 1;
		const slice = content.subarray(start, end + 1);
		response.writeHead(206, {'Content-Length': slice.length, 'Content-Range': `bytes ${start}-${end}/${content.length}`}).end(slice);
	};
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: (withPassword = password) => `rest:http://${user}:${withPassword}@127.0.0.1:${port}/`,
		close: () => new Promise<void>(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
