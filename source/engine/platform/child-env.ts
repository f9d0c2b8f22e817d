/**
 * The one place that decides what environment a child process gets. crx-backup
 * runs with secrets in its own environment (RESTIC_PASSWORD for --push,
 * CRX_BACKUP_AEM_PASSWORD for --aem, a cloud key restic reads): none of its
 * children but restic needs them, so none of them inherits them.
 *
 *   hookEnv     --freeze-cmd, --thaw-cmd, --snapshot-cmd, --on-success…: the
 *               operator's own shell commands. They get this environment
 *               without secrets, plus the CRX_BACKUP_* variables they are given.
 *   aemEnv      bin/start and bin/stop (and --start-cmd, --stop-cmd): a clean
 *               environment, as a service manager gives AEM, with only what
 *               AEM's scripts read (CQ_*, JAVA_HOME, the locale) passed on.
 *   toolEnv     the tools crx-backup runs itself (btrfs): PATH and the locale.
 *   resticEnv   restic: this environment with restic's own secrets (it reads
 *               them itself), without crx-backup's (AEM's password).
 */
import process from 'node:process';

/** A variable whose name says it holds a secret: never handed to a child but restic. */
// Short forms too (MYSQL_PWD, SMTP_PASS, CQ_ADMIN_PASS, SIGNING_KEY): a name that ends like a secret is one.
const SECRET_NAME = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)(API|ACCESS|ACCOUNT|AUTH)_?KEY($|_)|_(PWD|PASS|KEY)$/i;
/** restic's own variables and the cloud credentials it reads (restic's manual, "Environment Variables"). */
const RESTIC_ONLY = /^(RESTIC_|AWS_|AZURE_|B2_|GOOGLE_|GOOGLE_APPLICATION_CREDENTIALS$|OS_|ST_|RCLONE_)/;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Env = Record<string, string>;

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name) || RESTIC_ONLY.test(name) || name === 'NETRC';
}

function pick(test: (name: string) => boolean): Env {
	const env: Env = {};
	for (const [name, value] of Object.entries(process.env)) if (value !== undefined && test(name)) env[name] = value;
	return env;
}

const locale = (name: string) => name === 'LANG' || name === 'TZ' || name.startsWith('LC_');

/** The operator's own commands: this environment without its secrets, and `extra`. */
export function hookEnv(extra: Env = {}): Env {
	return {...pick(name => !isSecretName(name)), ...extra};
}

export interface AemUser {
	name: string;
	home: string;
}

/**
 * AEM's start and stop scripts: PATH, the locale, JAVA_HOME and what AEM's
 * scripts read (CQ_PORT, CQ_RUNMODE, CQ_JVM_OPTS…), HOME and USER of `user`
 * (the install's owner they run as) or of this process.
 */
export function aemEnv(user?: AemUser): Env {
	const passed = pick(name => locale(name) || name === 'JAVA_HOME' || (name.startsWith('CQ_') && !isSecretName(name)));
	const who = user ? {HOME: user.home, USER: user.name, LOGNAME: user.name} : pick(name => name === 'HOME' || name === 'USER' || name === 'LOGNAME');
	return {PATH: process.env.PATH || DEFAULT_PATH, ...passed, ...who};
}

/** restic reads its password and its backends' keys from the environment: those stay, nothing else secret does. */
export function resticEnv(extra: Env = {}): Env {
	return {...pick(name => RESTIC_ONLY.test(name) || !isSecretName(name)), ...extra};
}

/** Tools crx-backup itself runs: PATH and the locale only. */
export function toolEnv(): Env {
	return {PATH: process.env.PATH || DEFAULT_PATH, ...pick(locale)};
}
