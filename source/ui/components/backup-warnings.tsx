import {tuiWords} from '../options/tui-words.js';
import {checkAem, maintenanceWarning, type CheckedBackupOptions} from '../../engine/index.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {symbols, useTheme} from '../theme.js';
import {FieldRow} from './field-row.js';
import {Paragraph} from './paragraph.js';
import {Pending} from './pending.js';

/**
 * What the backup would say about AEM before it starts, shown before Enter: with --aem, its
 * own checks (AEM's backup, revision or datastore GC running, the password, reachability); without, the
 * maintenance-window warning. The backup itself refuses or warns the same way (--force overrides a busy AEM).
 */
export function BackupWarnings({options, labelWidth}: {options: CheckedBackupOptions | undefined; labelWidth: number}) {
	const theme = useTheme();
	const aem = options?.aem;
	const check = useAsyncValue(aem ? `aem ${aem.url} ${aem.user ?? ''}` : undefined, async () => checkAem(aem!));
	if (!aem) {
		const warning = options ? maintenanceWarning(options.maintenanceWindow) : undefined;
		return warning ? <FieldRow label="Window" width={labelWidth}><Paragraph color={theme.warning} indent={labelWidth} text={`${symbols.warning} ${tuiWords(warning)}`} /></FieldRow> : null;
	}
	if (!check.value) return <FieldRow label="AEM" width={labelWidth}><Pending loading={check.loading} error={check.error} label="asking AEM…" indent={labelWidth}>{undefined}</Pending></FieldRow>;
	const {refusal, warnings} = check.value;
	return (
		<FieldRow label="AEM" width={labelWidth}>
			{refusal
				? <Paragraph color={theme.error} indent={labelWidth} text={`${symbols.failed} ${tuiWords(refusal)}`} />
				: <Paragraph color={warnings.length > 0 ? theme.warning : theme.success} indent={labelWidth} text={warnings.length > 0 ? `${symbols.warning} ${tuiWords(warnings.join(' '))}` : `${symbols.done} answers; no backup or garbage collection running`} />}
		</FieldRow>
	);
}
