import {describe, expect, it} from 'vitest';
import {answerOf, confirmReducer} from '../../source/ui/state/confirm.js';

describe('confirm reducer', () => {
	it('opens and closes a question', () => {
		const open = confirmReducer(undefined, {type: 'ask', id: 'delete', question: 'Delete x?'});
		expect(open).toEqual({id: 'delete', question: 'Delete x?'});
		expect(confirmReducer(open, {type: 'close'})).toBeUndefined();
	});

	it('defaults to no: only y says yes', () => {
		expect(answerOf('yes')).toBe('yes');
		expect(answerOf('no')).toBe('no');
		expect(answerOf('back')).toBe('no');
		expect(answerOf('confirm')).toBe('no');
		expect(answerOf('delete')).toBeUndefined();
		expect(answerOf(undefined)).toBeUndefined();
	});
});
