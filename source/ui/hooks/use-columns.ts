import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** One dimension of the terminal, following resizes; `fallback` when the stream does not say. */
function useTerminal(read: (stdout: NodeJS.WriteStream) => number | undefined, fallback: number): number {
	const {stdout} = useStdout();
	const [value, setValue] = useState(read(stdout) || fallback);
	useEffect(() => {
		const onResize = () => setValue(read(stdout) || fallback);
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]); // eslint-disable-line react-hooks/exhaustive-deps
	return value;
}

/** The terminal width, following resizes; 80 when the stream does not say. */
export const useColumns = (): number => useTerminal(stdout => stdout.columns, 80);

/**
 * The rows the frame may take, following resizes: one less than the terminal (24 when the stream
 * does not say). A frame as tall as the terminal makes Ink clear the whole screen before every draw
 * (`lastOutputHeight >= stdout.rows` in Ink's render path), which flickers and defeats
 * incrementalRendering; one row shorter, Ink rewrites only the lines that changed.
 */
export const useRows = (): number => useTerminal(stdout => (stdout.rows ? stdout.rows - 1 : undefined), 23);
