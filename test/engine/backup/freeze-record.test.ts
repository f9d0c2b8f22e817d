import {expect, test} from 'vitest';
import {maskCredentials} from '../../../source/engine/backup/freeze-record.js';

test('the freeze command a manifest records keeps its shape and loses its credentials', () => {
	expect(maskCredentials("curl -fsS -u admin:s3cret -X POST 'http://127.0.0.1:4502/system/console/jmx/op'")).toBe("curl -fsS -u admin:*** -X POST 'http://127.0.0.1:4502/system/console/jmx/op'");
	expect(maskCredentials('curl --user=admin:s3cret http://h/x')).toBe('curl --user=admin:*** http://h/x');
	expect(maskCredentials('curl https://admin:s3cret@aem.example/op')).toBe('curl https://admin:***@aem.example/op');
	expect(maskCredentials('/opt/aem/bin/freeze --password s3cret --token=abc')).toBe('/opt/aem/bin/freeze --password *** --token=***');
	expect(maskCredentials('freeze.sh password=s3cret&x=1')).toBe('freeze.sh password=***&x=1');
	expect(maskCredentials('/opt/aem/bin/freeze')).toBe('/opt/aem/bin/freeze');
	expect(maskCredentials('http://127.0.0.1:4502')).toBe('http://127.0.0.1:4502');
});
